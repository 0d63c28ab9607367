package ai.dad.spi.plugin;

import ai.dad.spi.BackendContext;
import ai.dad.spi.BackendProvider;
import ai.dad.spi.NoiseScheduleProvider;
import ai.dad.spi.SegmentationHeadProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The providers this process can use: those on the class path, plus those of every plugin in
 * a plugins directory. Each entry of that directory (a jar, or a folder of classes and jars)
 * gets its own {@link PluginClassLoader}.
 */
public final class Plugins implements BackendContext {
    private final List<BackendProvider> backends = new ArrayList<>();
    private final List<NoiseScheduleProvider> schedules = new ArrayList<>();
    private final List<SegmentationHeadProvider> segmentationHeads = new ArrayList<>();

    private Plugins() {}

    /** Providers on the application class path only. */
    public static Plugins fromClassPath() {
        Plugins plugins = new Plugins();
        plugins.addFrom(Plugins.class.getClassLoader());
        return plugins;
    }

    /**
     * Providers on the class path and in {@code pluginsDir}; a missing directory adds nothing.
     *
     * @throws IOException if the directory cannot be listed
     */
    public static Plugins load(Path pluginsDir) throws IOException {
        Plugins plugins = fromClassPath();
        if (pluginsDir == null || !Files.isDirectory(pluginsDir)) {
            return plugins;
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(pluginsDir)) {
            entries = list.filter(p -> Files.isDirectory(p) || isJar(p)).sorted().toList();
        }
        for (Path entry : entries) {
            URL[] urls = urlsOf(entry);
            plugins.addFrom(new PluginClassLoader("plugin:" + entry.getFileName(), urls, Plugins.class.getClassLoader()));
        }
        return plugins;
    }

    public List<BackendProvider> backends() {
        return List.copyOf(backends);
    }

    public List<NoiseScheduleProvider> schedules() {
        return List.copyOf(schedules);
    }

    public List<SegmentationHeadProvider> segmentationHeads() {
        return List.copyOf(segmentationHeads);
    }

    @Override
    public NoiseScheduleProvider schedule(String name) {
        return byName(schedules, NoiseScheduleProvider::name, name, "noise schedule");
    }

    @Override
    public SegmentationHeadProvider segmentationHead(String name) {
        return byName(segmentationHeads, SegmentationHeadProvider::name, name, "segmentation head");
    }

    /**
     * The backend to use: the one called {@code override} when it is non-blank, otherwise the
     * available backend of highest rank.
     */
    public BackendProvider backend(String override) {
        if (override != null && !override.isBlank()) {
            BackendProvider chosen = byName(backends, BackendProvider::name, override, "backend");
            if (!chosen.isAvailable()) {
                throw new IllegalStateException("backend '" + override + "' is installed but not available here");
            }
            return chosen;
        }
        return backends.stream()
                .filter(BackendProvider::isAvailable)
                .max(Comparator.comparingInt(BackendProvider::rank))
                .orElseThrow(() -> new IllegalStateException("no available backend; installed: " + names(backends, BackendProvider::name)));
    }

    private void addFrom(ClassLoader loader) {
        ServiceLoader.load(BackendProvider.class, loader).forEach(backends::add);
        ServiceLoader.load(NoiseScheduleProvider.class, loader).forEach(schedules::add);
        ServiceLoader.load(SegmentationHeadProvider.class, loader).forEach(segmentationHeads::add);
    }

    private static <T> T byName(List<T> providers, Function<T, String> nameOf, String name, String kind) {
        return providers.stream()
                .filter(p -> nameOf.apply(p).equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown " + kind + " '" + name + "'; installed: " + names(providers, nameOf)));
    }

    private static <T> String names(List<T> providers, Function<T, String> nameOf) {
        return providers.stream().map(nameOf).sorted().collect(Collectors.joining(", ", "[", "]"));
    }

    private static boolean isJar(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar");
    }

    /** A jar is one URL; a folder is itself (classes) plus every jar directly inside it. */
    private static URL[] urlsOf(Path entry) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(toUrl(entry));
        if (Files.isDirectory(entry)) {
            try (Stream<Path> list = Files.list(entry)) {
                list.filter(Plugins::isJar).sorted().forEach(jar -> urls.add(toUrl(jar)));
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static URL toUrl(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
