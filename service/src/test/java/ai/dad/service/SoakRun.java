package ai.dad.service;

import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.InspectorGrpc;
import ai.dad.proto.v1.Verdict;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak scenario, shared by {@code SoakTest} (small, in the suite, against the test service)
 * and {@code scripts/soak.sh} (full size, against the packaged service, run as a main):
 * {@code streams} concurrent InspectStream calls of {@code frames} frames each, a fraction of
 * them bad (random bytes), one stream cancelled by the client midway. Each stream keeps at most
 * {@code inFlight} frames unanswered (as dad-client does), so with {@code streams x inFlight <=
 * dad.batch.queue-capacity} no good frame may be refused.
 *
 * <p>Checked for every verdict: it answers a frame this stream sent, in request order, once;
 * a good frame gets a verdict without error, a bad one an {@code INVALID_ARGUMENT} error verdict
 * with its frame_id. Every frame of a stream that was not cancelled is answered. Anything else
 * is listed in {@link Result#problems()}.
 *
 * <p>With {@code --pid}, the service's resident memory is sampled ({@code ps -o rss= -p PID})
 * every {@code --sample-seconds} together with the number of verdicts received so far, and the
 * summary gives the least-squares slope in KB per 1000 frames, over all samples, over those after
 * the first 20% of frames (JIT, pools and caches warm up first) and over the second half.
 */
public final class SoakRun {

    /** What to run. {@code cancelStream} is an index, or -1 for none. */
    public record Config(String host, int port, int streams, int frames, double badFraction, int cancelStream,
            int cancelAfter, int inFlight, long seed, long pid, int sampleSeconds, int maxMinutes) {

        public static Config small(int port) {
            return new Config("localhost", port, 4, 100, 0.1, 3, 40, 8, 1, -1, 5, 15);
        }
    }

    /** One RSS sample: verdicts received so far and the service's resident set in KB. */
    public record Sample(long seconds, long answered, long rssKb) {}

    /** What happened to one stream. */
    public record StreamResult(int index, boolean cancelled, int sentGood, int sentBad, int answered, int answeredOk,
            int answeredBadAsInvalid, Map<String, Integer> errorCodes) {}

    /** The whole run. */
    public record Result(Config config, List<StreamResult> streams, List<String> problems, double seconds,
            List<Sample> samples) {

        public long framesSent() {
            return streams.stream().mapToLong(s -> s.sentGood() + s.sentBad()).sum();
        }

        public long answered() {
            return streams.stream().mapToLong(StreamResult::answered).sum();
        }

        public String json() {
            Map<String, Integer> errors = new TreeMap<>();
            streams.forEach(s -> s.errorCodes().forEach((k, v) -> errors.merge(k, v, Integer::sum)));
            StringBuilder j = new StringBuilder("{\n");
            j.append("  \"streams\": ").append(config.streams()).append(",\n");
            j.append("  \"frames_per_stream\": ").append(config.frames()).append(",\n");
            j.append("  \"frames_sent\": ").append(framesSent()).append(",\n");
            j.append("  \"good_sent\": ").append(streams.stream().mapToLong(StreamResult::sentGood).sum()).append(",\n");
            j.append("  \"bad_sent\": ").append(streams.stream().mapToLong(StreamResult::sentBad).sum()).append(",\n");
            j.append("  \"answered\": ").append(answered()).append(",\n");
            j.append("  \"answered_ok\": ").append(streams.stream().mapToLong(StreamResult::answeredOk).sum()).append(",\n");
            j.append("  \"errors\": {");
            j.append(String.join(", ", errors.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue()).toList()));
            j.append("},\n");
            j.append("  \"cancelled_streams\": ").append(streams.stream().filter(StreamResult::cancelled).count()).append(",\n");
            j.append("  \"cancelled_stream_sent\": ").append(streams.stream().filter(StreamResult::cancelled)
                    .mapToLong(s -> s.sentGood() + s.sentBad()).sum()).append(",\n");
            j.append("  \"cancelled_stream_answered\": ").append(streams.stream().filter(StreamResult::cancelled)
                    .mapToLong(StreamResult::answered).sum()).append(",\n");
            j.append("  \"duration_s\": ").append(String.format(Locale.ROOT, "%.1f", seconds)).append(",\n");
            j.append("  \"frames_per_s\": ").append(String.format(Locale.ROOT, "%.1f", answered() / Math.max(seconds, 1e-9))).append(",\n");
            if (!samples.isEmpty()) {
                long max = samples.stream().mapToLong(Sample::rssKb).max().orElse(0);
                j.append("  \"rss_samples\": ").append(samples.size()).append(",\n");
                j.append("  \"rss_kb_first\": ").append(samples.get(0).rssKb()).append(",\n");
                j.append("  \"rss_kb_last\": ").append(samples.get(samples.size() - 1).rssKb()).append(",\n");
                j.append("  \"rss_kb_max\": ").append(max).append(",\n");
                j.append("  \"rss_slope_kb_per_1000_frames\": ").append(slope(samples, 0)).append(",\n");
                j.append("  \"rss_slope_kb_per_1000_frames_after_warmup\": ")
                        .append(slope(samples, (long) (0.2 * config.streams() * config.frames()))).append(",\n");
                j.append("  \"rss_slope_kb_per_1000_frames_second_half\": ")
                        .append(slope(samples, (long) (0.5 * config.streams() * config.frames()))).append(",\n");
            }
            j.append("  \"problems\": ").append(problems.size()).append(",\n");
            j.append("  \"first_problems\": [");
            j.append(String.join(", ", problems.stream().limit(10).map(p -> "\"" + p.replace("\\", "\\\\").replace("\"", "'") + "\"").toList()));
            j.append("]\n}");
            return j.toString();
        }

        /** Least-squares slope of RSS (KB) against verdicts received, per 1000 frames; "null" with under 3 samples. */
        static String slope(List<Sample> samples, long fromAnswered) {
            List<Sample> s = samples.stream().filter(x -> x.answered() >= fromAnswered).toList();
            if (s.size() < 3) {
                return "null";
            }
            double mx = s.stream().mapToDouble(Sample::answered).average().orElse(0);
            double my = s.stream().mapToDouble(Sample::rssKb).average().orElse(0);
            double sxy = 0;
            double sxx = 0;
            for (Sample x : s) {
                sxy += (x.answered() - mx) * (x.rssKb() - my);
                sxx += (x.answered() - mx) * (x.answered() - mx);
            }
            return sxx == 0 ? "null" : String.format(Locale.ROOT, "%.2f", 1000 * sxy / sxx);
        }
    }

    private final Config config;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong answeredTotal = new AtomicLong();

    public SoakRun(Config config) {
        this.config = config;
    }

    /** Runs the scenario; returns when every stream has finished, failed or been cancelled. */
    public Result run() throws InterruptedException {
        List<ByteString> pool = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            pool.add(ByteString.copyFrom(Frames.png(k, 48 + 4 * k)));
        }
        ManagedChannel channel = ManagedChannelBuilder.forAddress(config.host(), config.port()).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-rss");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        try {
            if (config.pid() > 0) {
                sampler.scheduleAtFixedRate(() -> sample(samples, start), 0, config.sampleSeconds(), TimeUnit.SECONDS);
            }
            List<StreamRunner> runners = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < config.streams(); s++) {
                StreamRunner runner = new StreamRunner(s, channel, pool);
                runners.add(runner);
                Thread t = new Thread(runner::run, "soak-stream-" + s);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            sampler.shutdown();
            sampler.awaitTermination(30, TimeUnit.SECONDS);
            if (config.pid() > 0) {
                sample(samples, start);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(config, runners.stream().map(StreamRunner::result).toList(), List.copyOf(problems), seconds,
                    List.copyOf(samples));
        } finally {
            sampler.shutdownNow();
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private void sample(List<Sample> samples, long start) {
        try {
            Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(config.pid())).redirectErrorStream(true).start();
            String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (ps.waitFor() == 0 && !out.isEmpty()) {
                samples.add(new Sample((System.nanoTime() - start) / 1_000_000_000L, answeredTotal.get(), Long.parseLong(out)));
            }
        } catch (IOException | NumberFormatException e) {
            problems.add("cannot sample RSS: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One InspectStream call: sends its frames with at most inFlight unanswered, checks every verdict. */
    private final class StreamRunner implements ClientResponseObserver<InspectRequest, Verdict> {
        private final int index;
        private final ManagedChannel channel;
        private final List<ByteString> pool;
        private final boolean cancels;
        private final Semaphore inFlight = new Semaphore(config.inFlight());
        private final CountDownLatch done = new CountDownLatch(1);
        private final AtomicBoolean stop = new AtomicBoolean();
        /** Frame ids in the order sent, and whether each was bad; verdicts must follow this order. */
        private final List<String> sentIds = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Boolean> bad = new ConcurrentHashMap<>();
        private final Map<String, Integer> errorCodes = new ConcurrentHashMap<>();
        private volatile ClientCallStreamObserver<InspectRequest> requests;
        private int answered;
        private int answeredOk;
        private int answeredBadAsInvalid;
        private int sentGood;
        private int sentBad;
        private volatile boolean cancelled;
        private volatile Throwable failure;

        StreamRunner(int index, ManagedChannel channel, List<ByteString> pool) {
            this.index = index;
            this.channel = channel;
            this.pool = pool;
            this.cancels = index == config.cancelStream();
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<InspectRequest> requestStream) {
            this.requests = requestStream;
        }

        void run() {
            Random random = new Random(config.seed() * 1_000 + index);
            InspectorGrpc.newStub(channel).withDeadlineAfter(config.maxMinutes(), TimeUnit.MINUTES).inspectStream(this);
            try {
                for (int i = 0; i < config.frames() && !stop.get(); i++) {
                    if (!acquire()) {
                        break;
                    }
                    boolean isBad = random.nextDouble() < config.badFraction();
                    String id = "s" + index + (isBad ? "-bad-" : "-f") + i;
                    InspectRequest.Builder request = InspectRequest.newBuilder().setFrameId(id);
                    if (isBad) {
                        byte[] junk = new byte[16 + random.nextInt(4096)];
                        random.nextBytes(junk);
                        junk[0] = 'x'; // the magic of no image format: always undecodable
                        request.setImage(ByteString.copyFrom(junk));
                    } else {
                        request.setImage(pool.get(random.nextInt(pool.size())));
                    }
                    synchronized (this) {
                        if (stop.get()) {
                            inFlight.release();
                            break;
                        }
                        sentIds.add(id);
                        bad.put(id, isBad);
                        if (isBad) {
                            sentBad++;
                        } else {
                            sentGood++;
                        }
                        requests.onNext(request.build());
                    }
                }
                synchronized (this) {
                    if (!stop.get()) {
                        requests.onCompleted();
                    }
                }
                if (!done.await(config.maxMinutes(), TimeUnit.MINUTES)) {
                    problems.add("stream " + index + " did not finish in " + config.maxMinutes() + " minutes");
                    requests.cancel("soak: gave up", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                requests.cancel("soak: interrupted", e);
            } catch (RuntimeException e) {
                problems.add("stream " + index + " failed to send: " + e);
                requests.cancel("soak: send failed", e);
            }
        }

        /** Waits for room in the in-flight window; false when the stream ended or failed meanwhile. */
        private boolean acquire() throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(config.maxMinutes());
            while (!stop.get()) {
                if (inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
                    return true;
                }
                if (System.nanoTime() > until) {
                    problems.add("stream " + index + ": no verdict for " + config.maxMinutes() + " minutes");
                    return false;
                }
            }
            return false;
        }

        @Override
        public void onNext(Verdict v) {
            boolean cancelNow = false;
            synchronized (this) {
                if (answered >= sentIds.size()) {
                    problems.add("stream " + index + ": verdict for '" + v.getFrameId() + "', a frame that was not sent");
                    return;
                }
                String expected = sentIds.get(answered);
                answered++;
                answeredTotal.incrementAndGet();
                if (!expected.equals(v.getFrameId())) {
                    problems.add("stream " + index + ": verdict " + answered + " is for '" + v.getFrameId() + "', expected '"
                            + expected + "'" + (bad.containsKey(v.getFrameId()) ? " (out of order or repeated)" : " (never sent)"));
                } else if (bad.get(expected)) {
                    if (v.hasError() && "INVALID_ARGUMENT".equals(v.getError().getCode())) {
                        answeredBadAsInvalid++;
                    } else {
                        problems.add("stream " + index + ": bad frame '" + expected + "' got " + (v.hasError() ? v.getError() : "a verdict"));
                    }
                } else if (v.hasError()) {
                    problems.add("stream " + index + ": good frame '" + expected + "' got error " + v.getError().getCode() + " "
                            + v.getError().getMessage());
                } else {
                    answeredOk++;
                }
                if (v.hasError()) {
                    errorCodes.merge(v.getError().getCode(), 1, Integer::sum);
                }
                if (cancels && answered == config.cancelAfter()) {
                    cancelNow = true;
                    cancelled = true;
                    stop.set(true);
                }
            }
            inFlight.release();
            if (cancelNow) {
                requests.cancel("soak: the client cancels midway", null);
                done.countDown();
            }
        }

        @Override
        public void onError(Throwable t) {
            if (!cancelled) {
                failure = t;
                problems.add("stream " + index + " failed: " + t);
            }
            stop.set(true);
            inFlight.release(config.inFlight());
            done.countDown();
        }

        @Override
        public void onCompleted() {
            synchronized (this) {
                if (answered != sentIds.size()) {
                    problems.add("stream " + index + " completed with " + answered + " verdicts for " + sentIds.size() + " frames");
                }
            }
            stop.set(true);
            done.countDown();
        }

        synchronized StreamResult result() {
            if (!cancelled && failure == null && answered != sentIds.size()) {
                problems.add("stream " + index + ": " + (sentIds.size() - answered) + " frames not answered");
            }
            return new StreamResult(index, cancelled, sentGood, sentBad, answered, answeredOk, answeredBadAsInvalid,
                    Map.copyOf(errorCodes));
        }
    }

    /** Whether the service at host:port says SERVING (grpc.health.v1, overall). */
    public static boolean serving(String host, int port) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus() == ServingStatus.SERVING;
        } catch (RuntimeException e) {
            return false;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code java -cp <service test class path> ai.dad.service.SoakRun --target localhost:9000 --streams 8
     * --frames 2000 [--bad 0.1] [--cancel-stream 0] [--cancel-after N] [--in-flight 8] [--seed 1] [--pid PID]
     * [--sample-seconds 5] [--samples-csv FILE] [--max-minutes 60] [--wait-minutes 3]}: waits until the service says SERVING,
     * runs, prints the JSON summary; exits 1 if there were problems or the service is not SERVING
     * afterwards, 2 if it never served.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        String[] target = a.getOrDefault("target", "localhost:9000").split(":");
        int streams = Integer.parseInt(a.getOrDefault("streams", "8"));
        int frames = Integer.parseInt(a.getOrDefault("frames", "2000"));
        Config config = new Config(target[0], Integer.parseInt(target[1]), streams, frames,
                Double.parseDouble(a.getOrDefault("bad", "0.1")),
                Integer.parseInt(a.getOrDefault("cancel-stream", "0")),
                Integer.parseInt(a.getOrDefault("cancel-after", Integer.toString(frames / 2))),
                Integer.parseInt(a.getOrDefault("in-flight", "8")),
                Long.parseLong(a.getOrDefault("seed", "1")),
                Long.parseLong(a.getOrDefault("pid", "-1")),
                Integer.parseInt(a.getOrDefault("sample-seconds", "5")),
                Integer.parseInt(a.getOrDefault("max-minutes", "60")));
        long waitUntil = System.nanoTime() + TimeUnit.MINUTES.toNanos(Long.parseLong(a.getOrDefault("wait-minutes", "3")));
        while (!serving(config.host(), config.port())) {
            if (System.nanoTime() > waitUntil) {
                System.err.println("soak: the service at " + config.host() + ":" + config.port() + " never said SERVING");
                System.exit(2);
            }
            Thread.sleep(500);
        }
        Result result = new SoakRun(config).run();
        if (a.containsKey("samples-csv")) {
            StringBuilder csv = new StringBuilder("seconds,answered,rss_kb\n");
            result.samples().forEach(x -> csv.append(x.seconds()).append(',').append(x.answered()).append(',').append(x.rssKb()).append('\n'));
            java.nio.file.Files.writeString(java.nio.file.Path.of(a.get("samples-csv")), csv);
        }
        boolean serving = serving(config.host(), config.port());
        String json = result.json();
        System.out.println(json.substring(0, json.length() - 2) + ",\n  \"serving_after\": " + serving + "\n}");
        System.exit(result.problems().isEmpty() && serving ? 0 : 1);
    }
}
