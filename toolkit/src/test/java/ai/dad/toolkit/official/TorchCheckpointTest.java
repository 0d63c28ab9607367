package ai.dad.toolkit.official;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.spi.plugin.Plugins;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the checkpoint reader and the importer refuse, and how they say so. */
class TorchCheckpointTest {
    @TempDir
    Path temp;

    @Test
    void readsTheReferenceCheckpointAsTheOfficialSaveWroteIt() throws Exception {
        Map<?, ?> saved = TorchCheckpoint.read(resource("reference/params-best.pt"));
        assertEquals(3000, ((Number) saved.get("n_epoch")).intValue());
        Map<?, ?> unet = (Map<?, ?>) saved.get("unet_model_state_dict");
        assertEquals("time_embedding.1.weight", unet.keySet().iterator().next(), "state dict order kept");
        TorchTensor first = (TorchTensor) unet.get("time_embedding.1.weight");
        assertEquals("[128, 32]", java.util.Arrays.toString(first.shape()));
        assertEquals(128 * 32, first.values().length);
        TorchTensor counter = (TorchTensor) ((Map<?, ?>) saved.get("seg_model_state_dict"))
                .get("encoder_segment.block1.1.num_batches_tracked");
        assertEquals("LongStorage", counter.storageType());
        assertEquals(0, counter.shape().length);
    }

    @Test
    void aGlobalOutsideTheAllowListIsRefusedByNameAndNeverRun() throws IOException {
        Path marker = temp.resolve("ran");
        // GLOBAL 'os system'; BINUNICODE "touch <marker>"; TUPLE1; REDUCE; STOP
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.write(new byte[] {(byte) 0x80, 2});
        pickle.write("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        byte[] command = ("touch " + marker).getBytes(StandardCharsets.UTF_8);
        pickle.write('X');
        pickle.write(new byte[] {(byte) command.length, 0, 0, 0});
        pickle.write(command);
        pickle.write(new byte[] {(byte) 0x85, 'R', '.'});
        Path file = archive("evil", pickle.toByteArray());

        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("os.system"), e.getMessage());
        assertTrue(e.getMessage().contains("refused"), e.getMessage());
        assertFalse(Files.exists(marker), "nothing named in the file was run");
    }

    @Test
    void aWholePickledModuleIsRefusedByItsClassName() throws IOException {
        // What torch.save(model) writes instead of a state dict: GLOBAL of the module class.
        byte[] pickle = "\u0080\u0002ctorch.nn.modules.linear\nLinear\n)\u0081.".getBytes(StandardCharsets.ISO_8859_1);
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(archive("model", pickle)));
        assertTrue(e.getMessage().contains("torch.nn.modules.linear.Linear"), e.getMessage());
    }

    @Test
    void theLegacyFormatGetsHowToReSaveIt() throws IOException {
        Path file = temp.resolve("old.pt");
        // Pre-1.6 torch.save starts with a pickled magic number, not a zip header.
        Files.write(file, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20});
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("older than 1.6") && e.getMessage().contains("torch.save(torch.load("), e.getMessage());
    }

    @Test
    void aTorchScriptModuleIsNotTakenForACheckpoint() throws Exception {
        // The backend's TorchScript fixture, read from its test jar.
        Path module = temp.resolve("unet.pt");
        try (var in = getClass().getResourceAsStream("/torchscript/unet.pt")) {
            Files.copy(in, module);
        }
        IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(module));
        assertTrue(e.getMessage().contains("TorchScript module"), e.getMessage());
    }

    @Test
    void argsThatDoNotFitTheTensorsGiveOneListOfEveryMismatch() throws Exception {
        Map<String, Object> args = referenceArgs();
        args.put("base_channels", 64);
        args.put("attention_resolutions", "32,16");
        IOException e = assertThrows(IOException.class, () -> OfficialImport.run(
                resource("reference/params-best.pt"), args, temp.resolve("model"), Plugins.fromClassPath()));
        String message = e.getMessage();
        assertTrue(message.contains("unet_model_state_dict: missing ("), message);
        assertTrue(message.contains("down.4.1.to_qkv.weight"), "attention now expected at 32 px: " + message);
        assertTrue(message.contains("unet_model_state_dict: wrong shape ("), message);
        assertTrue(message.contains("time_embedding.1.weight is [128, 32], expected [256, 64]"), message);
        assertTrue(message.contains("attention_resolutions it was trained with"), message);
        assertFalse(Files.exists(temp.resolve("model")), "nothing written");
    }

    @Test
    void anExistingModelIsNeverOverwritten() throws Exception {
        Path out = Files.createDirectories(temp.resolve("model"));
        Files.writeString(out.resolve("manifest.json"), "{}");
        IOException e = assertThrows(IOException.class, () -> OfficialImport.run(
                resource("reference/params-best.pt"), null, out, Plugins.fromClassPath()));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals("{}", Files.readString(out.resolve("manifest.json")));
    }

    @Test
    void unsupportedArchitecturesAreNamed() throws Exception {
        Map<String, Object> args = referenceArgs();
        args.put("img_size", java.util.List.of(512, 512));
        args.put("channel_mults", "");
        IOException e = assertThrows(IOException.class, () -> OfficialImport.run(
                resource("reference/params-best.pt"), args, temp.resolve("model"), Plugins.fromClassPath()));
        assertTrue(e.getMessage().contains("channel multiplier 0.5"), e.getMessage());
    }

    private Map<String, Object> referenceArgs() throws Exception {
        Map<?, ?> saved = TorchCheckpoint.read(resource("reference/params-best.pt"));
        Map<String, Object> args = new LinkedHashMap<>();
        ((Map<?, ?>) saved.get("args")).forEach((k, v) -> args.put(String.valueOf(k), v));
        return args;
    }

    private Path archive(String name, byte[] pickle) throws IOException {
        Path file = temp.resolve(name + ".pt");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(name + "/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        return file;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TorchCheckpointTest.class.getResource("/official/" + name).toURI());
    }
}
