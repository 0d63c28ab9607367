package ai.dad.spi.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;

/**
 * Class loader of one plugin (a jar or a folder of classes and jars).
 *
 * <p>A plugin sees the Java platform, the SPI and the DJL API (the types the SPI speaks in),
 * and otherwise only its own classes: two plugins may bundle different versions of a library
 * without clashing, and nothing of the host application leaks in.
 */
final class PluginClassLoader extends URLClassLoader {
    /** Packages shared with the host; everything else a plugin brings itself. */
    private static final List<String> SHARED_PACKAGES = List.of("ai.dad.spi.", "ai.djl.", "org.slf4j.");

    private final ClassLoader spiLoader;

    PluginClassLoader(String name, URL[] urls, ClassLoader spiLoader) {
        super(name, urls, ClassLoader.getPlatformClassLoader());
        this.spiLoader = spiLoader;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return spiLoader.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try {
                    loaded = findClass(name);
                } catch (ClassNotFoundException notInPlugin) {
                    loaded = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        // Own resources first, so a plugin's META-INF/services never resolves to the host's.
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return name.startsWith("META-INF/services/") ? findResources(name) : super.getResources(name);
    }

    private static boolean isShared(String className) {
        for (String prefix : SHARED_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
