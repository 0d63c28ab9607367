package ai.dad.toolkit.official;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.PickleException;

/**
 * Reads the file {@code torch.save} writes (PyTorch >= 1.6): a zip archive holding
 * {@code NAME/data.pkl}, the pickled object, and {@code NAME/data/KEY}, one raw storage per
 * tensor. Tensors come back as {@link TorchTensor}s, dicts as maps, lists and tuples as Java
 * lists and arrays.
 */
public final class TorchCheckpoint {
    private TorchCheckpoint() {}

    /** The object saved in {@code file}, which must be a dict (as the official save() writes). */
    public static Map<?, ?> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint file not found");
        }
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 4) < 4 || head[0] != 'P' || head[1] != 'K') {
                throw new IOException(file + " is not a zip archive: if it was saved by PyTorch older than 1.6 (or with "
                        + "_use_new_zipfile_serialization=False), re-save it with a newer PyTorch, e.g. python -c \"import torch; "
                        + "torch.save(torch.load('old.pt', map_location='cpu'), 'new.pt')\"");
            }
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String root = archiveRoot(zip, file);
            ZipEntry order = zip.getEntry(root + "byteorder");
            if (order != null && !new String(bytes(zip, order), StandardCharsets.US_ASCII).trim().equals("little")) {
                throw new IOException(file + " was written on a big-endian machine; re-save it on a little-endian one");
            }
            Map<String, TorchTensor.Storage> storages = new HashMap<>();
            try {
                return StateDictUnpickler.loadMap(bytes(zip, zip.getEntry(root + "data.pkl")), id -> storages.computeIfAbsent(
                        String.valueOf(id[2]), key -> storage(zip, root, key, ((StateDictUnpickler.StorageType) id[1]).name())));
            } catch (IOException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The folder inside the archive holding data.pkl (named after the file it was saved as). */
    private static String archiveRoot(ZipFile zip, Path file) throws IOException {
        String root = null;
        boolean torchScript = false;
        for (ZipEntry entry : Collections.list(zip.entries())) {
            String name = entry.getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                root = name.substring(0, name.length() - "data.pkl".length());
            }
            torchScript |= name.contains("/code/") || name.endsWith("/constants.pkl");
        }
        if (torchScript) {
            throw new IOException(file + " is a TorchScript module, not a checkpoint: serve it with weights.format "
                    + "\"torchscript\" (docs/IMPORT.md) or import the params-*.pt file that train.py saved");
        }
        if (root == null) {
            throw new IOException(file + " is a zip archive without data.pkl: not a file written by torch.save");
        }
        return root;
    }

    private static TorchTensor.Storage storage(ZipFile zip, String root, String key, String type) {
        ZipEntry entry = zip.getEntry(root + "data/" + key);
        if (entry == null) {
            throw new PickleException("storage " + key + " is missing from the archive");
        }
        try {
            return new TorchTensor.Storage(type, ByteBuffer.wrap(bytes(zip, entry)));
        } catch (IOException e) {
            throw new PickleException("cannot read storage " + key + ": " + e.getMessage());
        }
    }

    private static byte[] bytes(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }
}
