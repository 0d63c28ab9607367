package ai.dad.service.security;

import ai.dad.service.ServiceConfig;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import io.quarkus.grpc.GlobalInterceptor;
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
 * Bearer-token authentication of every gRPC call ({@code authorization: Bearer <token>}), when
 * tokens are configured ({@code dad.auth.tokens} or {@code dad.auth.token-file}). Tokens are
 * compared as SHA-256 digests with {@link MessageDigest#isEqual}, in constant time, so timing
 * reveals neither a token nor its length. Health checks stay open unless
 * {@code dad.auth.health-open=false}; HTTP health and metrics are not gRPC and stay open.
 */
@ApplicationScoped
@GlobalInterceptor
public class BearerTokenInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String PREFIX = "Bearer ";

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

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (digests.isEmpty() || (config.auth().healthOpen()
                && HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName()))) {
            return next.startCall(call, headers);
        }
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            call.close(Status.UNAUTHENTICATED.withDescription("missing bearer token (authorization: Bearer <token>)"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        if (!known(digest(header.substring(PREFIX.length()).trim()))) {
            call.close(Status.UNAUTHENTICATED.withDescription("invalid bearer token"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }

    /** Checks every configured token, without stopping early, so timing does not say which matched. */
    private boolean known(byte[] candidate) {
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
