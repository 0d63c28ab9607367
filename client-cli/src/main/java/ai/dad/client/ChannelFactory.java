package ai.dad.client;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

/**
 * Opens the channel the commands talk over. The command line uses {@link #PLAINTEXT}; tests
 * pass a factory that opens in-process channels, so the commands run unchanged against a test
 * double of the service.
 */
@FunctionalInterface
public interface ChannelFactory {

    /** Largest verdict accepted: maps and masks of big frames exceed gRPC's 4 MiB default. */
    int MAX_INBOUND_BYTES = 256 << 20;

    /**
     * Plaintext HTTP/2 (the service's default) to {@code host:port} or any gRPC target URI.
     * Round-robin over every address the target resolves to, so {@code dns:///} names of a
     * headless Kubernetes Service spread calls over all replicas.
     */
    ChannelFactory PLAINTEXT = target -> Grpc
            .newChannelBuilder(target, InsecureChannelCredentials.create())
            .defaultLoadBalancingPolicy("round_robin")
            .maxInboundMessageSize(MAX_INBOUND_BYTES)
            .userAgent("dad-client")
            .build();

    /** Opens a channel to the target; the caller shuts it down. */
    ManagedChannel open(String target);
}
