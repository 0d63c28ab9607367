package ai.dad.client.net;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The transport credentials of the connection options: plaintext, TLS or mutual TLS. */
public final class Tls {

    private Tls() {}

    /**
     * Plaintext unless TLS is asked for. With TLS the server's certificate is checked against the
     * system's trusted CAs, or only against the PEM certificates in {@code ca} when given; with
     * {@code cert} and {@code key} (PEM, the key in PKCS#8) the client shows its own certificate
     * (mutual TLS). {@code ca}, {@code cert} and {@code key} each imply TLS.
     *
     * @throws IllegalArgumentException when only one of cert and key is given
     * @throws IOException when a file is missing or not valid PEM
     */
    public static ChannelCredentials credentials(boolean tls, Path ca, Path cert, Path key)
            throws IOException {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--cert and --key go together");
        }
        if (!tls && ca == null && cert == null) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
        if (ca != null) {
            b.trustManager(readable(ca).toFile());
        }
        if (cert != null) {
            b.keyManager(readable(cert).toFile(), readable(key).toFile());
        }
        return b.build();
    }

    /** Whether the options ask for TLS. */
    public static boolean wanted(boolean tls, Path ca, Path cert) {
        return tls || ca != null || cert != null;
    }

    private static Path readable(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read " + file);
        }
        return file;
    }
}
