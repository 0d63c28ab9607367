package ai.dad.client;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

/**
 * Opens the channel the commands talk over. The command line uses {@link #NETWORK}; tests pass a
 * factory that opens in-process channels, so the commands run unchanged against a test double
 * of the service.
 */
@FunctionalInterface
public interface ChannelFactory {

    /** Largest verdict accepted: maps and masks of big frames exceed gRPC's 4 MiB default. */
    int MAX_INBOUND_BYTES = 256 << 20;

    /**
     * Real HTTP/2 channels to {@code host:port} or any gRPC target URI: plaintext (the service's
     * default), or TLS when a command passes TLS credentials ({@code --tls}, {@code --ca},
     * {@code --cert}/{@code --key}). Round-robin over every address the target resolves to, so
     * {@code dns:///} names of a headless Kubernetes Service spread calls over all replicas.
     */
    ChannelFactory NETWORK = new ChannelFactory() {
        @Override
        public ManagedChannel open(String target) {
            return open(target, InsecureChannelCredentials.create());
        }

        @Override
        public ManagedChannel open(String target, ChannelCredentials credentials) {
            return Grpc.newChannelBuilder(target, credentials)
                    .defaultLoadBalancingPolicy("round_robin")
                    .maxInboundMessageSize(MAX_INBOUND_BYTES)
                    .userAgent("dad-client")
                    .build();
        }
    };

    /** {@link #NETWORK} under its first name: plaintext unless the command line asks for TLS. */
    ChannelFactory PLAINTEXT = NETWORK;

    /** Opens a plaintext channel to the target; the caller shuts it down. */
    ManagedChannel open(String target);

    /**
     * Opens a channel with the given transport credentials. Factories that do not go over the
     * network (in-process test doubles) ignore them, which is what this default does.
     */
    default ManagedChannel open(String target, ChannelCredentials credentials) {
        return open(target);
    }
}
