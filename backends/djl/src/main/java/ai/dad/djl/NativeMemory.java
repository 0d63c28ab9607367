package ai.dad.djl;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps glibc's malloc from handing PyTorch's tensor memory back to the kernel after every
 * forward pass, so the next pass does not have to fault it in again, page by page.
 *
 * <p>PyTorch allocates CPU tensors with {@code posix_memalign}. Under glibc's defaults a JVM
 * thread's arena returns freed memory eagerly: a 64 MiB heap is unmapped as soon as it is
 * empty and the top of a heap is trimmed once more than 128 KiB are free there. A forward pass
 * frees and allocates hundreds of MiB, so a pass could fault in much of its memory afresh, tens
 * of thousands of page faults, by how the allocations happened to fall into heaps: the time of a
 * pass varied from run to run by a third (docs/PERFORMANCE.md). With a fixed mmap threshold of
 * 32 MiB (glibc's largest), a 1 GiB trim threshold and a 64 MiB top pad (which keeps empty
 * heaps), freed memory is reused: the process stays at its high-water mark instead of paying
 * for the round trip each time, and there are about no page faults per pass.
 *
 * <p>Applied once per JVM, from the backend's entry points ({@link EngineSetup}), on Linux with glibc only. Left out
 * when {@code -Ddad.malloc.tune=false} (or {@code DAD_MALLOC_TUNE=false}) is given, and when the
 * environment already sets one of these parameters ({@code MALLOC_MMAP_THRESHOLD_},
 * {@code MALLOC_TRIM_THRESHOLD_}, {@code MALLOC_TOP_PAD_}, or glibc.malloc tunables in
 * {@code GLIBC_TUNABLES}): the operator's choice wins.
 */
public final class NativeMemory {
    // mallopt parameters, from glibc's malloc.h.
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    static final int MMAP_THRESHOLD = 32 << 20;
    static final int TRIM_THRESHOLD = 1 << 30;
    static final int TOP_PAD = 64 << 20;

    private static String state;

    private NativeMemory() {}

    /** glibc's malloc and the one call used from it. */
    interface LibC extends Library {
        int mallopt(int param, int value);

        String gnu_get_libc_version();
    }

    /**
     * Applies the settings unless turned off or not applicable; returns what happened, e.g.
     * {@code "tuned (glibc 2.36)"} or {@code "left alone: not Linux"}. Safe to call often.
     */
    public static synchronized String tune() {
        if (state == null) {
            state = apply(System.getenv());
        }
        return state;
    }

    private static String apply(Map<String, String> env) {
        String off = System.getProperty("dad.malloc.tune", env.getOrDefault("DAD_MALLOC_TUNE", "true"));
        if (off.trim().equalsIgnoreCase("false")) {
            return "left alone: dad.malloc.tune=false";
        }
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "left alone: not Linux";
        }
        for (String name : new String[] {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_"}) {
            if (env.containsKey(name)) {
                return "left alone: " + name + " is set";
            }
        }
        if (env.getOrDefault("GLIBC_TUNABLES", "").contains("glibc.malloc.")) {
            return "left alone: GLIBC_TUNABLES sets glibc.malloc";
        }
        try {
            LibC libc = Native.load("c", LibC.class);
            String version = libc.gnu_get_libc_version(); // only glibc has it
            // The mmap threshold first: setting the others alone disables glibc's adaptive
            // threshold and leaves it at 128 KiB, which would map every tensor afresh.
            if (libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1) {
                return "left alone: glibc " + version + " refused the mmap threshold";
            }
            libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD);
            libc.mallopt(M_TOP_PAD, TOP_PAD);
            return "tuned (glibc " + version + ")";
        } catch (Throwable e) { // UnsatisfiedLinkError (no glibc), NoClassDefFoundError (no JNA), ...
            return "left alone: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
