package ai.dad.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * picocli's annotation processor registers every command of dad-client for reflection at
 * compile time: what the native profile's executable needs to parse its command line.
 */
class NativeMetadataTest {
    private static final String REFLECT_CONFIG =
            "META-INF/native-image/picocli-generated/ai.dad/dad-client-cli/reflect-config.json";

    @Test
    void everyCommandIsRegisteredForReflection() throws IOException {
        Set<String> registered = new HashSet<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(REFLECT_CONFIG)) {
            assertNotNull(in, REFLECT_CONFIG + " was not generated (picocli-codegen in client-cli/pom.xml)");
            for (JsonElement type : JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonArray()) {
                registered.add(type.getAsJsonObject().get("name").getAsString());
            }
        }
        CommandSpec root = new CommandLine(new DadClient()).getCommandSpec();
        List<String> missing = root.subcommands().values().stream()
                .map(c -> c.getCommandSpec().userObject().getClass().getName())
                .filter(name -> name.startsWith("ai.dad.") && !registered.contains(name))
                .toList();
        assertEquals(List.of(), missing, "commands not in " + REFLECT_CONFIG);
        assertTrue(registered.contains(DadClient.class.getName()), DadClient.class.getName());
    }
}
