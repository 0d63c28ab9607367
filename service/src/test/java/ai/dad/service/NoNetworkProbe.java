package ai.dad.service;

import ai.dad.proto.v1.InspectorGrpc;
import ai.dad.proto.v1.Verdict;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.concurrent.TimeUnit;

/**
 * The client half of {@code NoNetworkIT}, run as a main inside the same network namespace as the
 * service: {@code NoNetworkProbe HOST PORT}. Waits (at most three minutes) until the service says
 * SERVING, inspects one frame, prints {@code verdict FRAME_ID MODEL SCORE} and exits 0; exits 1
 * if the service never served, 2 if the inspection failed.
 */
public final class NoNetworkProbe {
    private NoNetworkProbe() {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!SoakRun.serving(host, port)) {
            if (System.nanoTime() > until) {
                System.out.println("probe: the service never said SERVING");
                System.exit(1);
            }
            Thread.sleep(250);
        }
        ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            Verdict v = InspectorGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .inspect(Frames.request("no-network-frame", Frames.png(2, 96)));
            System.out.println("verdict " + v.getFrameId() + " " + v.getModel() + " " + v.getScore());
        } catch (RuntimeException e) {
            System.out.println("probe: inspection failed: " + e);
            System.exit(2);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        System.exit(0);
    }
}
