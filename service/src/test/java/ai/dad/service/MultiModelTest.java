package ai.dad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dad.proto.v1.ListModelsRequest;
import ai.dad.proto.v1.ListModelsResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several models at once (one per product), each answering under its own id, one of them the default. */
@QuarkusTest
@TestProfile(MultiModelTest.TwoProducts.class)
class MultiModelTest {

    public static class TwoProducts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path dir = Path.of("target/two-products");
            ModelFolders.copyDemo(dir.resolve("washer-a"));
            ModelFolders.copyDemo(dir.resolve("washer-b"));
            return Map.of("dad.models.dir", dir.toString(), "dad.models.default-model", "washer-b");
        }
    }

    @Test
    void eachModelAnswersUnderItsId() throws Exception {
        try (GrpcTestClient client = new GrpcTestClient()) {
            client.awaitServing();
            ListModelsResponse models = client.blocking().listModels(ListModelsRequest.getDefaultInstance());
            assertEquals(2, models.getModelsCount());
            assertEquals("washer-b", models.getDefaultModel());
            byte[] png = Frames.png(3, 64);
            assertEquals("washer-a", client.blocking().inspect(Frames.request("a", png).toBuilder().setModel("washer-a").build()).getModel());
            assertEquals("washer-b", client.blocking().inspect(Frames.request("b", png)).getModel());
        }
    }
}
