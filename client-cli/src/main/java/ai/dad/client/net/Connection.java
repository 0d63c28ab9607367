package ai.dad.client.net;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What one command talks over: the channel (with the bearer token attached, when there is one)
 * and the retry policy. Closing it shuts the channel down.
 */
public final class Connection implements AutoCloseable {

    private final ManagedChannel managed;
    private final Channel channel;
    private final Backoff backoff;
    private final Consumer<String> warn;

    /**
     * @param managed the channel to shut down at the end
     * @param channel what calls go over ({@code managed}, possibly intercepted)
     * @param backoff the retry policy of unary calls and of reopening the stream
     * @param warn where retries are reported
     */
    public Connection(ManagedChannel managed, Channel channel, Backoff backoff,
                      Consumer<String> warn) {
        this.managed = Objects.requireNonNull(managed, "managed");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.warn = Objects.requireNonNull(warn, "warn");
    }

    public Channel channel() {
        return channel;
    }

    public Backoff backoff() {
        return backoff;
    }

    /** Makes a channel that is waiting to reconnect try again now. */
    public void reconnectNow() {
        managed.resetConnectBackoff();
    }

    /** Runs a unary call with the retry policy (see {@link Backoff#call}). */
    public <T> T call(Supplier<T> attempt) throws InterruptedException {
        return backoff.call(attempt, warn, this::reconnectNow);
    }

    /** Shuts the channel down, politely first. */
    @Override
    public void close() {
        managed.shutdown();
        try {
            if (!managed.awaitTermination(5, TimeUnit.SECONDS)) {
                managed.shutdownNow();
            }
        } catch (InterruptedException e) {
            managed.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
