package ai.dad.client.testing;

import ai.dad.client.ChannelFactory;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An in-process server with the {@link FakeInspector} and a health service, and a
 * {@link ChannelFactory} that connects to it whatever the target says.
 */
public final class FakeService implements AutoCloseable {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    public final FakeInspector inspector;
    public final HealthStatusManager health = new HealthStatusManager();
    private final Server server;
    private final String name = InProcessServerBuilder.generateName();
    private final List<ManagedChannel> channels = new ArrayList<>();

    /** The {@code authorization} header of every call, in order ("" when absent). */
    public final List<String> authorization = new CopyOnWriteArrayList<>();

    public FakeService(FakeInspector inspector) throws IOException {
        this.inspector = inspector;
        ServerInterceptor recordAuthorization = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call,
                    Metadata headers, ServerCallHandler<Q, A> next) {
                String value = headers.get(AUTHORIZATION);
                authorization.add(value == null ? "" : value);
                return next.startCall(call, headers);
            }
        };
        this.server = InProcessServerBuilder.forName(name)
                .addService(ServerInterceptors.intercept(inspector, recordAuthorization))
                .addService(health.getHealthService())
                .build()
                .start();
        health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        health.setStatus("dad.v1.Inspector", HealthCheckResponse.ServingStatus.SERVING);
    }

    public FakeService() throws IOException {
        this(new FakeInspector());
    }

    /** Opens channels to this server (the target is ignored). */
    public ChannelFactory channels() {
        return target -> {
            ManagedChannel c = InProcessChannelBuilder.forName(name).build();
            synchronized (channels) {
                channels.add(c);
            }
            return c;
        };
    }

    /** A channel to this server, closed with it. */
    public ManagedChannel channel() {
        return channels().open("in-process");
    }

    @Override
    public void close() throws InterruptedException {
        synchronized (channels) {
            channels.forEach(ManagedChannel::shutdownNow);
        }
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}
