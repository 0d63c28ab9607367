package ai.dad.client.stream;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A one-line progress display on stderr: a bar, frames done/total, frames per second, NG and
 * error counts, and the time left. Redrawn in place (carriage return) five times a second and
 * after every printed result line, which it clears first so that results on the same terminal
 * never collide with it. Meant only for terminals; see {@link #stderrIsTerminal()}.
 */
public final class ProgressBar implements AutoCloseable {

    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final StreamStats stats;
    private final IntSupplier total;
    private final long start = System.nanoTime();
    private final ScheduledExecutorService ticker;
    private boolean shown;

    /** Starts drawing; {@code total} is asked again at each redraw (it grows with --watch). */
    public ProgressBar(PrintWriter err, StreamStats stats, IntSupplier total) {
        this.err = err;
        this.stats = stats;
        this.total = total;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dad-client-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::draw, 0, 200, TimeUnit.MILLISECONDS);
    }

    /**
     * Whether stderr is a terminal. Java cannot ask directly, so the launcher passes
     * {@code -Ddad.client.stderr.tty=true|false} (from {@code [ -t 2 ]}); without it, a JVM with
     * a console is taken to have a terminal on stderr too.
     */
    public static boolean stderrIsTerminal() {
        String p = System.getProperty("dad.client.stderr.tty");
        return p != null ? Boolean.parseBoolean(p) : System.console() != null;
    }

    /** Runs {@code print} (which writes a result line elsewhere) with the bar out of the way. */
    public synchronized void around(Runnable print) {
        clear();
        print.run();
        draw();
    }

    /** Draws the current state. */
    public synchronized void draw() {
        int done = stats.frames();
        int total = Math.max(done, this.total.getAsInt());
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        String eta = rate > 0 && done < total ? clock((total - done) / rate) : "--:--";
        err.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d  %.1f frames/s  NG %d  errors %d  ETA %s\u001b[K",
                "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, rate, stats.ng(),
                stats.errors(), eta));
        err.flush();
        shown = true;
    }

    /** Removes the line. */
    public synchronized void clear() {
        if (shown) {
            err.print("\r\u001b[K");
            err.flush();
            shown = false;
        }
    }

    /** Stops redrawing and removes the line. */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clear();
    }

    /** Seconds as m:ss or h:mm:ss. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
