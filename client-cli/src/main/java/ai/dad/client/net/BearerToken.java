package ai.dad.client.net;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bearer token of a token-protected service ({@code dad.auth.tokens}): sent with every call
 * as {@code authorization: Bearer <token>}.
 */
public final class BearerToken {

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private BearerToken() {}

    /**
     * Reads a token file: the first line that is neither blank nor a {@code #} comment, without
     * surrounding white space.
     */
    public static String read(Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                return check(t, "token file " + file);
            }
        }
        throw new IOException("token file " + file + " holds no token");
    }

    /** Checks that a token can travel in an HTTP/2 header: printable ASCII, no spaces. */
    public static String check(String token, String where) throws IOException {
        if (token.isEmpty()) {
            throw new IOException(where + ": the token is empty");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IOException(where + ": a token may hold printable ASCII only, no spaces");
            }
        }
        return token;
    }

    /** Adds {@code authorization: Bearer <token>} to every call. */
    public static ClientInterceptor interceptor(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }
}
