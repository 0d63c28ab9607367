package ai.dad.client.stream;

import ai.dad.proto.v1.Decision;
import ai.dad.proto.v1.Verdict;

/**
 * The outcome of one frame, as printed: a judgement from the service, an error verdict from the
 * service, or a local failure (the file could not be read, or the call ended first).
 *
 * @param file the frame
 * @param outcome OK, NG, UNCALIBRATED or ERROR
 * @param score raw score (NaN for errors)
 * @param normalizedScore calibrated score (NaN for errors)
 * @param threshold the threshold applied (NaN for errors)
 * @param latencyMs client-side time from sending the frame to its verdict; NaN when never sent
 * @param model the model that judged the frame ("" when unknown)
 * @param modelVersion its version ("" when unknown)
 * @param errorCode for errors: the service's status code name, or {@code LOCAL} for a local
 *     failure; null otherwise
 * @param errorMessage for errors: what went wrong; null otherwise
 * @param verdict the service's verdict as received (with the map when one was asked for), or
 *     null when there is none (local failures, frames lost with a failed call)
 */
public record FrameResult(FrameFile file, Outcome outcome, double score, double normalizedScore,
                          double threshold, double latencyMs, String model, String modelVersion,
                          String errorCode, String errorMessage, Verdict verdict) {

    /** The error code of failures that happened on this side of the wire. */
    public static final String LOCAL = "LOCAL";

    /** What the line says about the frame. */
    public enum Outcome { OK, NG, UNCALIBRATED, ERROR }

    /** A result from a verdict of the service (judgement or error verdict). */
    public static FrameResult of(FrameFile file, Verdict v, double latencyMs) {
        if (v.hasError() || v.getDecision() == Decision.DECISION_UNSPECIFIED
                || v.getDecision() == Decision.UNRECOGNIZED) {
            String code = v.hasError() ? v.getError().getCode() : "UNKNOWN";
            String msg = v.hasError() ? v.getError().getMessage()
                    : "verdict without a decision";
            return new FrameResult(file, Outcome.ERROR, Double.NaN, Double.NaN, Double.NaN,
                    latencyMs, v.getModel(), v.getModelVersion(), code, msg, v);
        }
        Outcome o = switch (v.getDecision()) {
            case OK -> Outcome.OK;
            case NG -> Outcome.NG;
            default -> Outcome.UNCALIBRATED;
        };
        return new FrameResult(file, o, v.getScore(), v.getNormalizedScore(), v.getThreshold(),
                latencyMs, v.getModel(), v.getModelVersion(), null, null, v);
    }

    /** An error result that carries no verdict. */
    public static FrameResult error(FrameFile file, String code, String message, double latencyMs) {
        return new FrameResult(file, Outcome.ERROR, Double.NaN, Double.NaN, Double.NaN,
                latencyMs, "", "", code, message, null);
    }

    /** Whether this frame was judged (OK, NG or UNCALIBRATED). */
    public boolean judged() {
        return outcome != Outcome.ERROR;
    }
}
