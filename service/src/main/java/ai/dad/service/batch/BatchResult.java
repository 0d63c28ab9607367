package ai.dad.service.batch;

/**
 * What the model computed for one frame.
 *
 * @param score the image score (mean of the top-k map values)
 * @param map the anomaly map at model resolution, {@code mapSize x mapSize}, row-major
 * @param queueMicros time the frame waited before its batch started
 * @param inferenceMicros time the whole batch took in the model
 * @param batchSize frames in that batch
 */
public record BatchResult(float score, float[] map, int mapSize, long queueMicros, long inferenceMicros, int batchSize) {}
