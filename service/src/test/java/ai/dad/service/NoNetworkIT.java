package ai.dad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged service needs no network at run time: it is started from
 * {@code target/quarkus-app} inside a new network namespace ({@code unshare -n}) that has only
 * the loopback interface and no route anywhere, and a client in the same namespace
 * ({@link NoNetworkProbe}) waits for SERVING and inspects a frame through it. The service is
 * started as a user would, without {@code -Dai.djl.offline} or {@code OPT_OUT_TRACKING}: the
 * backend must keep itself offline.
 *
 * <p>Where {@code strace} is installed, the service also runs under
 * {@code strace -f -e trace=connect}, and no {@code connect()} to an address other than loopback
 * may appear: not even a DNS query or a failed attempt.
 *
 * <p>Skipped (assumption) where the test cannot make a namespace: not root, no {@code unshare} or
 * {@code ip}, or namespaces not permitted.
 */
class NoNetworkIT {
    /** Runs inside the namespace; parameters come in the environment. */
    private static final String SCRIPT = """
            set -u
            ip link set lo up
            echo "interfaces: $(ip -o link show | awk -F': ' '{print $2}' | tr '\\n' ' ')"
            echo "routes: $(ip route show | wc -l)"
            if [ -n "$TRACE" ]; then
                strace --seccomp-bpf -f -qq -e trace=connect -o "$TRACE" \\
                    "$JAVA" -Ddad.models.dir="$MODELS" -Dquarkus.grpc.server.port=9000 -Dquarkus.http.port=8080 \\
                    -jar "$APP" >"$LOG" 2>&1 &
            else
                "$JAVA" -Ddad.models.dir="$MODELS" -Dquarkus.grpc.server.port=9000 -Dquarkus.http.port=8080 \\
                    -jar "$APP" >"$LOG" 2>&1 &
            fi
            started=$!
            sleep 1
            service=$(ps -o pid= --ppid "$started" | head -n 1 | tr -d ' ')
            [ -n "$service" ] || service=$started
            timeout 300 "$JAVA" -cp "$PROBE_CP" ai.dad.service.NoNetworkProbe 127.0.0.1 9000
            rc=$?
            kill -TERM "$service" 2>/dev/null
            for _ in $(seq 1 120); do
                kill -0 "$service" 2>/dev/null || break
                sleep 0.5
            done
            kill -KILL "$service" 2>/dev/null
            wait "$started" 2>/dev/null
            echo "probe exit: $rc"
            exit "$rc"
            """;

    @Test
    void servesAndInspectsWithNoNetworkAtAll() throws Exception {
        assumeTrue("0".equals(output("id", "-u").trim()), "needs root to make a network namespace");
        assumeTrue(onPath("unshare") && onPath("ip"), "needs unshare and ip (util-linux, iproute2)");
        assumeTrue(exitCode("unshare", "-n", "true") == 0, "network namespaces are not permitted here");
        Path app = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(app), "package the app first (mvn verify does)");

        Path log = Files.createTempFile("dad-no-network", ".log");
        Path trace = onPath("strace") ? Files.createTempFile("dad-no-network", ".strace") : null;
        ProcessBuilder builder = new ProcessBuilder("unshare", "-n", "bash", "-c", SCRIPT).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("OPT_OUT_TRACKING"); // the service must stay offline by itself
        env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("APP", app.toString());
        env.put("MODELS", Path.of("..", "models").toAbsolutePath().normalize().toString());
        env.put("PROBE_CP", testClassPath());
        env.put("LOG", log.toString());
        env.put("TRACE", trace == null ? "" : trace.toString());
        Process run = builder.start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!run.waitFor(8, TimeUnit.MINUTES)) {
            run.destroyForcibly();
        }
        String report = "output:\n" + out + "\nservice log:\n" + read(log);
        assertEquals(0, run.exitValue(), report);
        assertTrue(out.contains("interfaces: lo \n"), "only loopback in the namespace: " + report);
        assertTrue(out.contains("routes: 0"), "no route anywhere: " + report);
        assertTrue(out.contains("verdict no-network-frame demo "), report);
        if (trace != null) {
            List<String> outbound = Files.readAllLines(trace).stream()
                    .filter(l -> l.contains("connect(") && l.contains("AF_INET"))
                    .filter(l -> !(l.contains("inet_addr(\"127.") || l.contains("\"::1\"") || l.contains("\"::ffff:127.")))
                    .toList();
            assertTrue(outbound.isEmpty(), "the service tried to reach the network: " + outbound);
            System.out.println("no-network: " + Files.readAllLines(trace).stream().filter(l -> l.contains("connect(")).count()
                    + " connect() calls traced, none outbound");
            Files.deleteIfExists(trace);
        }
        Files.deleteIfExists(log);
    }

    /** The test class path (failsafe may hand the JVM a manifest-only jar; that works for -cp too). */
    private static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static boolean onPath(String command) throws IOException, InterruptedException {
        return exitCode("bash", "-c", "command -v " + command + " >/dev/null") == 0;
    }

    private static int exitCode(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
