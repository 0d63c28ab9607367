package ai.dad.service;

import static io.restassured.RestAssured.given;

import java.util.Arrays;

/** The service's Prometheus text at /q/metrics, read by the tests that check what work was done. */
final class Metrics {
    private final String text;

    private Metrics(String text) {
        this.text = text;
    }

    static Metrics read() {
        return new Metrics(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** The sum of every series of {@code name} whose labels contain all of {@code labels} (0 when none). */
    double sum(String name, String... labels) {
        return text.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Whether any series of {@code name} has all of {@code labels}. */
    boolean has(String name, String... labels) {
        return text.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .anyMatch(l -> Arrays.stream(labels).allMatch(l::contains));
    }

    /** Frames the service accepted for work (valid requests for a known model). */
    double framesReceived() {
        return sum("dad_frames_total");
    }

    /** Frames that went through the model: the sum of the batch sizes. */
    double framesComputed() {
        return sum("dad_batch_size_sum");
    }

    double errors(String status) {
        return sum("dad_errors_total", "status=\"" + status + "\"");
    }

    double verdicts() {
        return sum("dad_verdicts_total");
    }

    double queueDepth() {
        return sum("dad_queue_depth");
    }

    /** The few counters the tests compare, as one line for messages. */
    String summary() {
        return "frames=" + framesReceived() + " computed=" + framesComputed() + " verdicts=" + verdicts()
                + " RESOURCE_EXHAUSTED=" + errors("RESOURCE_EXHAUSTED") + " DEADLINE_EXCEEDED=" + errors("DEADLINE_EXCEEDED")
                + " CANCELLED=" + errors("CANCELLED") + " queue=" + queueDepth();
    }

    /**
     * Waits (bounded, one minute) until the service has nothing left to do: the queue is empty and
     * the counters have not moved for a second (longer than a batch's max-delay in the tests).
     */
    static Metrics settled() throws InterruptedException {
        Metrics last = read();
        int stable = 0;
        long until = System.nanoTime() + 60_000_000_000L;
        while (stable < 4 && System.nanoTime() < until) {
            Thread.sleep(250);
            Metrics now = read();
            boolean same = now.queueDepth() == 0 && now.framesReceived() == last.framesReceived()
                    && now.framesComputed() == last.framesComputed() && now.verdicts() == last.verdicts();
            stable = same ? stable + 1 : 0;
            last = now;
        }
        return last;
    }
}
