package ai.dad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.spi.ModelManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native-image inputs Quarkus generates for the service (target/native-sources, written in
 * the package phase without GraalVM) hold what a native executable of it needs, so that a change
 * that drops one fails the build here, where no native-image can run. See docs/DEPLOY.md.
 */
class NativeSourcesIT {
    private static final String STRING = "java.lang.String";

    private static NativeMetadata metadata;

    @BeforeAll
    static void read() throws IOException {
        metadata = NativeMetadata.read(Path.of("target/native-sources"));
    }

    /**
     * These classes reach native libraries from static initialisers: libtorch through DJL's JNI
     * library, CUDA and glibc through JNA. Initialised in the image builder, they would load a
     * library there that the executable does not have.
     */
    @Test
    void classesThatLoadNativeLibrariesAreInitialisedAtRunTime() {
        for (String type : List.of(
                "ai.djl.engine.Engine",
                "ai.djl.pytorch.jni.LibUtils",
                "ai.djl.pytorch.jni.JniUtils",
                "ai.djl.util.cuda.CudaUtils",
                "ai.dad.djl.DjlBackendProvider",
                "ai.dad.djl.BlockNetworks",
                "ai.dad.djl.NativeMemory",
                "com.sun.jna.Native")) {
            assertTrue(metadata.initializedAtRunTime(type),
                    type + " is not initialised at run time; --initialize-at-run-time names " + metadata.runTimeInitialized());
        }
    }

    /**
     * What libdjl_torch (pytorch-jni 2.3.1-0.29.0) looks up through JNI: in JNI_OnLoad the
     * exceptions it throws with ThrowNew (which calls their String constructor), JniUtils'
     * static logger field and the Logger methods it logs through; and in its helpers, String's
     * byte-array conversions, String[] results, Set#add (torchShowConfig, on a HashSet) and the
     * stream methods of moduleLoad/moduleWrite. A lookup that is not registered fails in the
     * executable with NoSuchMethodError or NoSuchFieldError.
     */
    @Test
    void jniLookupsOfThePyTorchJniLibraryAreRegistered() {
        for (String exception : List.of("ai.djl.engine.EngineException", "java.lang.NullPointerException", "java.lang.IllegalStateException")) {
            assertJniMethod(exception, "<init>", STRING);
        }
        assertTrue(metadata.jniField("ai.djl.pytorch.jni.JniUtils", "logger"), "JNI field JniUtils.logger");
        for (String level : List.of("info", "debug", "error")) {
            assertJniMethod("org.slf4j.Logger", level, STRING);
        }
        assertJniMethod(STRING, "<init>", "byte[]", STRING);
        assertJniMethod(STRING, "getBytes", STRING);
        assertTrue(metadata.jniType("java.lang.String[]"), "JNI type String[]");
        assertJniMethod("java.util.HashSet", "add", "java.lang.Object");
        assertJniMethod("java.io.InputStream", "read", "byte[]", "int", "int");
        assertJniMethod("java.io.OutputStream", "write", "byte[]", "int", "int");
    }

    /**
     * A guard for the list above when DJL changes: every class name the shipped JNI libraries
     * carry (the names they pass to FindClass) is registered for JNI.
     */
    @Test
    void everyClassTheJniLibrariesNameIsRegistered() throws IOException {
        Path jniJar = metadata.jars.stream()
                .filter(j -> j.getFileName().toString().startsWith("ai.djl.pytorch.pytorch-jni-"))
                .findFirst().orElseThrow(() -> new AssertionError("no pytorch-jni jar in " + metadata.dir.resolve("lib")));
        TreeSet<String> named = new TreeSet<>();
        int libraries = 0;
        try (ZipFile zip = new ZipFile(jniJar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().startsWith("jnilib/linux-") && entry.getName().endsWith(".so")) {
                    libraries++;
                    try (InputStream in = zip.getInputStream(entry)) {
                        named.addAll(classNames(in.readAllBytes()));
                    }
                }
            }
        }
        assertTrue(libraries > 0, "no Linux JNI library in " + jniJar);
        assertTrue(named.contains("ai.djl.engine.EngineException"), "the scan found " + named);
        List<String> missing = named.stream().filter(c -> !metadata.jniType(c)).toList();
        assertEquals(List.of(), missing, "classes the JNI libraries look up but JNI metadata lacks");
    }

    /** NUL-terminated strings of the form a/b/C in a shared library: JNI class names. */
    private static List<String> classNames(byte[] library) {
        Matcher m = Pattern.compile("\0((?:ai/djl|java|javax|org/slf4j)/[A-Za-z0-9_/$]+)\0")
                .matcher(new String(library, StandardCharsets.ISO_8859_1));
        List<String> names = new ArrayList<>();
        int from = 0;
        while (m.find(from)) {
            names.add(m.group(1).replace('/', '.'));
            from = m.end(1); // the closing NUL may open the next string
        }
        return names;
    }

    /**
     * Quarkus turns GraalVM's automatic service-loader registration off. Every provider of the
     * services the backend (Plugins) and DJL (Engine, ModelZoo) load must have its services file
     * as a resource and its no-argument constructor registered, or ServiceLoader finds nothing.
     */
    @Test
    void serviceProvidersOfTheBackendAndDjlAreRegistered() {
        Map<String, List<String>> providers = metadata.serviceProviders();
        List<String> services = providers.keySet().stream()
                .filter(s -> s.startsWith("ai.dad.spi.") || s.startsWith("ai.djl."))
                .sorted().toList();
        for (String expected : List.of("ai.dad.spi.BackendProvider", "ai.dad.spi.NoiseScheduleProvider",
                "ai.dad.spi.SegmentationHeadProvider", "ai.djl.engine.EngineProvider")) {
            assertTrue(services.contains(expected), "no provider of " + expected + " on the class path: " + services);
        }
        for (String service : services) {
            assertTrue(metadata.resourceIncluded("META-INF/services/" + service), "resource META-INF/services/" + service);
            for (String provider : providers.get(service)) {
                assertTrue(metadata.reflectionMethod(provider, "<init>"), "no-argument constructor of " + provider + " (" + service + ")");
            }
        }
    }

    /** Gson reads manifest.json into ModelManifest and its nested classes by reflection. */
    @Test
    void modelManifestIsRegisteredForGson() {
        List<Class<?>> types = new ArrayList<>(List.of(ModelManifest.class));
        types.addAll(List.of(ModelManifest.class.getDeclaredClasses()));
        for (Class<?> type : types) {
            assertTrue(metadata.reflectionType(type.getName()), "reflection " + type.getName());
            for (var field : type.getDeclaredFields()) {
                assertTrue(metadata.reflectionField(type.getName(), field.getName()), "reflection field " + type.getName() + "." + field.getName());
            }
            assertTrue(metadata.reflectionMethod(type.getName(), "<init>"), "reflection constructor " + type.getName() + "()");
        }
    }

    /**
     * The class-path resources read at run time: DJL's version files and the JNI library it
     * extracts when PYTORCH_LIBRARY_PATH has none, and the operator page. Models are files in
     * dad.models.dir, not resources.
     */
    @Test
    void resourcesReadAtRunTimeAreIncluded() throws IOException {
        List<String> resources = new ArrayList<>(List.of(
                "ai/djl/engine/api.properties",
                "pytorch-engine.properties",
                "native/lib/pytorch.properties",
                "jnilib/pytorch.properties",
                "jnilib/linux-x86_64/cpu/libdjl_torch.so"));
        try (ZipFile runner = new ZipFile(metadata.jars.get(0).toFile())) {
            runner.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("META-INF/resources/") && !n.endsWith("/"))
                    .forEach(resources::add);
        }
        assertTrue(resources.contains("META-INF/resources/index.html"), "the operator page is not in " + metadata.jars.get(0));
        List<String> missing = resources.stream().filter(r -> !metadata.resourceIncluded(r)).toList();
        assertEquals(List.of(), missing, "resources not included in the image");
    }

    /** What Quarkus itself registers for TLS, health and image decoding stays on. */
    @Test
    void tlsHealthAndImageDecodingSupportStayOn() {
        assertTrue(metadata.args.stream().anyMatch(a -> a.startsWith("--enable-url-protocols=") && a.contains("https")),
                "https is not enabled: " + metadata.args);
        assertTrue(metadata.reflectionType("grpc.health.v1.HealthOuterClass$HealthCheckResponse"), "grpc.health.v1 messages");
        assertTrue(metadata.args.stream().anyMatch(a -> a.startsWith("--features=") && a.contains("io.quarkus.awt.runtime.graal.AwtFeature")),
                "quarkus-awt's feature (ImageIO in the executable) is not in the arguments");
    }

    private static void assertJniMethod(String type, String name, String... parameterTypes) {
        assertTrue(metadata.jniMethod(type, name, parameterTypes),
                "JNI method " + type + "." + name + "(" + String.join(", ", parameterTypes) + ")");
    }
}
