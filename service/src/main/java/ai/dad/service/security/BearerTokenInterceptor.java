package ai.dad.service.security;

import ai.dad.service.ServiceConfig;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Bearer-token authentication of every gRPC call ({@code authorization: Bearer <token>}), when
 * tokens are configured ({@link Tokens}). Health checks stay open unless
 * {@code dad.auth.health-open=false}; HTTP is guarded by {@link HttpTokenFilter}.
 */
@ApplicationScoped
@GlobalInterceptor
public class BearerTokenInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String PREFIX = "Bearer ";

    @Inject
    ServiceConfig config;

    @Inject
    Tokens tokens;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!tokens.required() || (config.auth().healthOpen()
                && HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName()))) {
            return next.startCall(call, headers);
        }
        String header = headers.get(AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            call.close(Status.UNAUTHENTICATED.withDescription("missing bearer token (authorization: Bearer <token>)"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        if (!tokens.accepts(header.substring(PREFIX.length()))) {
            call.close(Status.UNAUTHENTICATED.withDescription("invalid bearer token"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }
}
