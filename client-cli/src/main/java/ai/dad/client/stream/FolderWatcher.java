package ai.dad.client.stream;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link FrameSource} that keeps finding new image files under folders, e.g. a camera's drop
 * directory ({@code dad-client stream --watch}).
 *
 * <p>It polls: every {@code poll} interval the roots are walked again with the rules of
 * {@link FrameWalker} (a file system watch service misses events on network and container
 * file systems). A file is taken only when it is complete, which a folder cannot say, so the
 * rule is: its size, modification time and identity (inode) have stayed the same for at least
 * {@code settle}, as seen by this process's own clock over successive polls, and it can be opened
 * for reading. A writer that pauses for less than the settle time is therefore never read early;
 * one that pauses longer is. A file that stays stable but cannot be opened (or even examined, like
 * a dangling link) is taken anyway once it has been stable for {@code settle + unreadableGrace},
 * so that it is reported as a local error instead of being waited for forever.
 *
 * <p>Each version of a file is inspected once: a file that changes after it was taken (or is
 * deleted and written again) is taken again once it is stable. Files present at the start are
 * seen by the first poll and so are taken first, in walk order; later files in the order they
 * became stable. Memory holds one small entry per file currently under the roots, and every poll
 * examines each of them, so move or delete inspected files from a folder that grows for weeks.
 *
 * <p>With an {@code idleExit}, the source is exhausted (and the run ends once the frames in
 * flight are answered) when no file appeared, changed or was taken for that long and none is
 * waiting to settle; without one, it runs until the run is stopped.
 */
public final class FolderWatcher implements FrameSource {

    /**
     * @param poll time between two walks of the roots
     * @param settle how long a file must stay unchanged before it is taken
     * @param unreadableGrace how much longer a stable file that cannot be opened is waited for
     * @param idleExit end after this long without news; null to run until stopped
     */
    public record Settings(Duration poll, Duration settle, Duration unreadableGrace,
                           Duration idleExit) {
        public Settings {
            Objects.requireNonNull(poll, "poll");
            Objects.requireNonNull(settle, "settle");
            Objects.requireNonNull(unreadableGrace, "unreadableGrace");
            if (poll.toMillis() < 1 || settle.isNegative() || unreadableGrace.isNegative()
                    || (idleExit != null && idleExit.isNegative())) {
                throw new IllegalArgumentException("bad watch settings " + poll + ", " + settle
                        + ", " + unreadableGrace + ", " + idleExit);
            }
        }

        /** A poll interval and a settle time; unreadable files get 10 x the settle time more. */
        public static Settings of(Duration poll, Duration settle, Duration idleExit) {
            Duration grace = settle.multipliedBy(10).compareTo(Duration.ofSeconds(2)) < 0
                    ? Duration.ofSeconds(2) : settle.multipliedBy(10);
            return new Settings(poll, settle, grace, idleExit);
        }
    }

    /** What a file looked like at a poll: equal versions mean the file did not change. */
    private record Version(long size, long mtimeNanos, Object key) {
        /** The version of a path that cannot be examined (e.g. a dangling link). */
        static final Version UNREADABLE = new Version(-1, 0, null);

        static Version of(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return new Version(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                        a.fileKey());
            } catch (IOException | RuntimeException e) {
                return UNREADABLE;
            }
        }
    }

    /** A file seen by the polls; touched only by the poll thread. */
    private static final class Tracked {
        final FrameFile frame;
        final Version version;
        final long since;
        boolean taken;

        Tracked(FrameFile frame, Version version, long since) {
            this.frame = frame;
            this.version = version;
            this.since = since;
        }
    }

    private final List<Path> roots;
    private final Settings settings;
    private final Consumer<String> warn;
    private final Map<Path, Tracked> tracked = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    private final ConcurrentLinkedQueue<FrameFile> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger total = new AtomicInteger();
    private final ScheduledExecutorService poller;
    private volatile Runnable wake = () -> { };
    private volatile boolean idle;
    private long lastNews;

    /**
     * Starts polling at once.
     *
     * @param roots folders (or single files) to watch
     * @param settings poll, settle and idle times
     * @param warn where problems with the roots are reported, once each
     */
    public FolderWatcher(List<Path> roots, Settings settings, Consumer<String> warn) {
        this.roots = List.copyOf(roots);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.warn = Objects.requireNonNull(warn, "warn");
        this.lastNews = System.nanoTime();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dad-client-watch");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollSafely, 0, settings.poll().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public FrameFile next() {
        return ready.poll();
    }

    @Override
    public boolean exhausted() {
        return idle && ready.isEmpty();
    }

    @Override
    public int total() {
        return total.get();
    }

    @Override
    public void onAvailable(Runnable wake) {
        this.wake = Objects.requireNonNull(wake, "wake");
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException | Error e) {
            warnOnce("watch: poll failed: " + e);
        }
    }

    /** One walk of the roots: notes changes, takes the files that have settled. */
    private void poll() {
        long now = System.nanoTime();
        long settle = settings.settle().toNanos();
        long giveUp = settle + settings.unreadableGrace().toNanos();
        Set<Path> present = new HashSet<>();
        boolean took = false;
        boolean waiting = false;
        for (Path root : roots) {
            List<FrameFile> found;
            try {
                found = FrameWalker.walk(root);
            } catch (IOException | RuntimeException e) {
                warnOnce("watch: cannot walk " + root + ": " + e.getMessage());
                continue;
            }
            for (FrameFile f : found) {
                if (f.walkError() != null) {
                    warnOnce("watch: " + f.path() + ": " + f.walkError());
                    continue;
                }
                Path p = f.path();
                present.add(p);
                Version v = Version.of(p);
                Tracked t = tracked.get(p);
                if (t == null || !t.version.equals(v)) {
                    tracked.put(p, new Tracked(f, v, now));
                    lastNews = now;
                    waiting = true;
                } else if (!t.taken) {
                    long age = now - t.since;
                    if (age >= settle && (age >= giveUp || canOpen(p))) {
                        t.taken = true;
                        ready.add(t.frame);
                        total.incrementAndGet();
                        lastNews = now;
                        took = true;
                    } else {
                        waiting = true;
                    }
                }
            }
        }
        tracked.keySet().retainAll(present);
        Duration idleExit = settings.idleExit();
        if (idleExit != null && !waiting && now - lastNews >= idleExit.toNanos()) {
            idle = true;
            poller.shutdown();
            took = true; // wake the runner so that it can finish
        }
        if (took) {
            wake.run();
        }
    }

    private static boolean canOpen(Path p) {
        try (FileChannel ignored = FileChannel.open(p, StandardOpenOption.READ)) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void warnOnce(String line) {
        if (warned.add(line)) {
            warn.accept(line);
        }
    }
}
