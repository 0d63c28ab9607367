package ai.dad.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a native-image run over Quarkus' native sources ({@code target/native-sources}) would be
 * told: the arguments in {@code native-image.args}, and the reflection, JNI and resource
 * metadata that native-image reads by itself from {@code META-INF/native-image/} in every jar on
 * its class path (the runner jar, with Quarkus' generated metadata and the service's own, and
 * each library). Only GraalVM's JSON files ({@code *-config.json}) are read: no jar here carries
 * the newer {@code reachability-metadata.json}.
 */
final class NativeMetadata {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final List<String> args;
    /** Every jar native-image would get: the runner jar first, then lib/. */
    final List<Path> jars;
    private final Map<String, List<JsonNode>> reflection = new HashMap<>();
    private final Map<String, List<JsonNode>> jni = new HashMap<>();
    private final List<Pattern> resourceIncludes = new ArrayList<>();
    private final List<Pattern> resourceExcludes = new ArrayList<>();

    private NativeMetadata(Path dir, List<String> args, List<Path> jars) {
        this.dir = dir;
        this.args = args;
        this.jars = jars;
    }

    static NativeMetadata read(Path dir) throws IOException {
        Path argsFile = dir.resolve("native-image.args");
        if (!Files.isRegularFile(argsFile)) {
            throw new IllegalStateException(argsFile + " is missing: the native-sources execution of "
                    + "quarkus-maven-plugin writes it in the package phase (./mvnw verify does)");
        }
        List<String> args = Arrays.asList(Files.readString(argsFile).trim().split("\\s+"));
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> top = Files.list(dir); Stream<Path> lib = Files.list(dir.resolve("lib"))) {
            top.filter(p -> p.toString().endsWith("-runner.jar")).forEach(jars::add);
            lib.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
        NativeMetadata metadata = new NativeMetadata(dir, args, jars);
        for (Path jar : jars) {
            metadata.readJar(jar);
        }
        return metadata;
    }

    private void readJar(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.startsWith("META-INF/native-image/")) {
                    continue;
                }
                if (name.endsWith("/reflect-config.json")) {
                    addTypes(parse(zip, entry), reflection);
                } else if (name.endsWith("/jni-config.json")) {
                    addTypes(parse(zip, entry), jni);
                } else if (name.endsWith("/resource-config.json")) {
                    addResources(parse(zip, entry));
                }
            }
        }
    }

    private static JsonNode parse(ZipFile zip, ZipEntry entry) throws IOException {
        return JSON.readTree(zip.getInputStream(entry));
    }

    private static void addTypes(JsonNode types, Map<String, List<JsonNode>> into) {
        for (JsonNode type : types) {
            into.computeIfAbsent(type.path("name").asText(), k -> new ArrayList<>()).add(type);
        }
    }

    /** Both layouts GraalVM accepts: {"resources": {"includes": [...], "excludes": [...]}} and {"resources": [...]}. */
    private void addResources(JsonNode config) {
        JsonNode resources = config.path("resources");
        JsonNode includes = resources.isArray() ? resources : resources.path("includes");
        includes.forEach(r -> resourceIncludes.add(Pattern.compile(r.path("pattern").asText())));
        resources.path("excludes").forEach(r -> resourceExcludes.add(Pattern.compile(r.path("pattern").asText())));
    }

    /** The classes and packages named by every {@code --initialize-at-run-time=} argument. */
    List<String> runTimeInitialized() {
        return args.stream()
                .filter(a -> a.startsWith("--initialize-at-run-time="))
                .flatMap(a -> Arrays.stream(a.substring(a.indexOf('=') + 1).split(",")))
                .toList();
    }

    /** Whether class {@code name} is initialised at run time: itself or a package above it is named. */
    boolean initializedAtRunTime(String name) {
        return runTimeInitialized().stream().anyMatch(n -> name.equals(n) || name.startsWith(n + "."));
    }

    boolean reflectionType(String type) {
        return reflection.containsKey(type);
    }

    boolean jniType(String type) {
        return jni.containsKey(type);
    }

    /**
     * Whether {@code type}'s public method or constructor ({@code <init>}) with these parameter
     * types is registered, one by one or through an all-methods / all-constructors flag.
     */
    boolean reflectionMethod(String type, String name, String... parameterTypes) {
        return hasMethod(reflection, type, name, parameterTypes);
    }

    boolean jniMethod(String type, String name, String... parameterTypes) {
        return hasMethod(jni, type, name, parameterTypes);
    }

    boolean reflectionField(String type, String name) {
        return hasField(reflection, type, name);
    }

    boolean jniField(String type, String name) {
        return hasField(jni, type, name);
    }

    boolean resourceIncluded(String resource) {
        return resourceIncludes.stream().anyMatch(p -> p.matcher(resource).matches())
                && resourceExcludes.stream().noneMatch(p -> p.matcher(resource).matches());
    }

    private static boolean hasMethod(Map<String, List<JsonNode>> config, String type, String name, String... parameterTypes) {
        boolean constructor = name.equals("<init>");
        return config.getOrDefault(type, List.of()).stream().anyMatch(t ->
                (constructor ? flag(t, "allDeclaredConstructors", "allPublicConstructors") : flag(t, "allDeclaredMethods", "allPublicMethods"))
                        || stream(t.path("methods")).anyMatch(m -> m.path("name").asText().equals(name)
                                && stream(m.path("parameterTypes")).map(JsonNode::asText).toList().equals(List.of(parameterTypes))));
    }

    private static boolean hasField(Map<String, List<JsonNode>> config, String type, String name) {
        return config.getOrDefault(type, List.of()).stream().anyMatch(t ->
                flag(t, "allDeclaredFields", "allPublicFields")
                        || stream(t.path("fields")).anyMatch(f -> f.path("name").asText().equals(name)));
    }

    private static boolean flag(JsonNode type, String... flags) {
        return Arrays.stream(flags).anyMatch(f -> type.path(f).asBoolean(false));
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items.stream();
    }

    /** The lines of every {@code META-INF/services/<service>} file in the jars, by service. */
    Map<String, List<String>> serviceProviders() {
        Map<String, List<String>> providers = new HashMap<>();
        for (Path jar : jars) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    String name = entry.getName();
                    if (name.startsWith("META-INF/services/") && !entry.isDirectory()) {
                        String text = new String(zip.getInputStream(entry).readAllBytes());
                        List<String> classes = text.lines()
                                .map(l -> l.replaceFirst("#.*", "").trim())
                                .filter(l -> !l.isEmpty())
                                .toList();
                        providers.computeIfAbsent(name.substring("META-INF/services/".length()), k -> new ArrayList<>()).addAll(classes);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return providers;
    }
}
