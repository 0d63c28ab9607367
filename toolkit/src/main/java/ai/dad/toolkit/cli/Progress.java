package ai.dad.toolkit.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line progress bar on stderr: done/total, rate, ETA and a caller-supplied detail. On a
 * terminal it redraws in place; otherwise (logs, CI) it prints a plain line every
 * {@code logEvery} updates and at the end.
 */
final class Progress {
    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final String unit;
    private final long total;
    private final boolean terminal;
    private final int logEvery;
    private final long started = System.nanoTime();
    private final long startDone;

    Progress(PrintWriter err, String unit, long startDone, long total, int logEvery) {
        this.err = err;
        this.unit = unit;
        this.startDone = startDone;
        this.total = total;
        this.terminal = System.console() != null;
        this.logEvery = Math.max(1, logEvery);
    }

    void update(long done, String detail) {
        boolean last = done >= total;
        if (!terminal && !last && done % logEvery != 0) {
            return;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = seconds > 0 ? (done - startDone) / seconds : 0;
        String eta = rate > 0 ? format(Duration.ofSeconds((long) ((total - done) / rate))) : "?";
        int filled = (int) (WIDTH * Math.min(1.0, (double) done / total));
        String bar = "[" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "]";
        String line = String.format(Locale.ROOT, "%s %d/%d %s %.2f %s/s ETA %s  %s",
                bar, done, total, unit, rate, unit, eta, detail);
        if (terminal) {
            err.print("\r" + line + (last ? "\n" : ""));
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String format(Duration d) {
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        return h > 0 ? String.format(Locale.ROOT, "%dh%02dm", h, m) : String.format(Locale.ROOT, "%dm%02ds", m, s);
    }
}
