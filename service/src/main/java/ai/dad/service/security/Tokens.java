package ai.dad.service.security;

import ai.dad.service.ServiceConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokens that may use the service ({@code dad.auth.tokens} and {@code dad.auth.token-file}),
 * shared by gRPC ({@link BearerTokenInterceptor}) and HTTP ({@link HttpTokenFilter}). Tokens are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, in constant time, so timing
 * reveals neither a token nor its length.
 */
@ApplicationScoped
public class Tokens {
    @Inject
    ServiceConfig config;

    private List<byte[]> digests = List.of();

    @PostConstruct
    void init() {
        List<byte[]> loaded = new ArrayList<>();
        config.auth().tokens().ifPresent(tokens -> tokens.forEach(t -> loaded.add(digest(t.trim()))));
        config.auth().tokenFile().ifPresent(file -> {
            try {
                for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
                    String token = line.trim();
                    if (!token.isEmpty() && !token.startsWith("#")) {
                        loaded.add(digest(token));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read dad.auth.token-file " + file, e);
            }
        });
        digests = List.copyOf(loaded);
    }

    /** Whether any token is configured; without one the service is open. */
    public boolean required() {
        return !digests.isEmpty();
    }

    /** Checks every configured token, without stopping early, so timing does not say which matched. */
    public boolean accepts(String token) {
        byte[] candidate = digest(token.trim());
        boolean match = false;
        for (byte[] d : digests) {
            match |= MessageDigest.isEqual(d, candidate);
        }
        return match;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
