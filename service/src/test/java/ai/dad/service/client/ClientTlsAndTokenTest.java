package ai.dad.service.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client's connection options against the real service with mutual TLS (certificates made for
 * the test with openssl: a CA, a server and a client certificate) and bearer tokens:
 * {@code --ca}, {@code --cert}/{@code --key}, {@code --token} and {@code --token-file} work on
 * every command; a missing or wrong token, a missing client certificate, plaintext and an
 * untrusted server certificate ({@code --tls} trusts only the system's CAs) are refused.
 */
@QuarkusTest
@TestProfile(ClientTlsAndTokenTest.MutualTls.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientTlsAndTokenTest {

    static final Path DIR = Path.of("target", "client-tls").toAbsolutePath();
    static final String TOKEN = "station-3-token";

    /** TLS with client certificates required, and tokens. */
    public static class MutualTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Certificates.make(DIR);
            return Map.of(
                    "quarkus.grpc.server.plain-text", "false",
                    "quarkus.grpc.server.ssl.certificate", DIR.resolve("server.crt").toString(),
                    "quarkus.grpc.server.ssl.key", DIR.resolve("server.key").toString(),
                    "quarkus.grpc.server.ssl.trust-store", DIR.resolve("clients-ca.p12").toString(),
                    "quarkus.grpc.server.ssl.trust-store-password", Certificates.STORE_PASSWORD,
                    "quarkus.grpc.server.ssl.client-auth", "REQUIRED",
                    "dad.auth.tokens", TOKEN + ",other-token");
        }
    }

    private Path tokenFile;
    private Path frames;

    @BeforeAll
    void setUp() throws Exception {
        ClientRuns.awaitServing(tls());
        tokenFile = DIR.resolve("token");
        Files.writeString(tokenFile, "# the line's token\n\n  " + TOKEN + "  \n");
        frames = ClientRuns.freshDir("tls-frames");
        DemoFrames.write(frames, 2, 1, 21);
    }

    /** --ca, --cert and --key of the test certificates. */
    private static String[] tls() {
        return new String[] {"--ca", DIR.resolve("ca.crt").toString(), "--cert", DIR.resolve("client.crt").toString(),
            "--key", DIR.resolve("client.key").toString()};
    }

    private static ClientRuns.Result run(String command, String[] connection, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--target", ClientRuns.target()));
        args.addAll(Arrays.asList(connection));
        args.addAll(Arrays.asList(more));
        return ClientRuns.run(args.toArray(String[]::new));
    }

    @Test
    void tokenFileAndTokenOverMutualTls() {
        ClientRuns.Result models = run("models", tls(), "--token-file", tokenFile.toString());
        assertEquals(0, models.code(), models.toString());
        assertTrue(models.out().contains("demo"), models.out());
        ClientRuns.Result byOption = run("models", tls(), "--token", "other-token");
        assertEquals(0, byOption.code(), byOption.toString());

        ClientRuns.Result stream = run("stream", tls(), frames.toString(), "--token-file", tokenFile.toString(),
                "--no-progress", "--retries", "2");
        assertEquals(0, stream.code(), stream.toString());
        assertEquals(3, stream.lines().size(), stream.toString());

        ClientRuns.Result health = run("health", tls());
        assertEquals(0, health.code(), "health needs no token: " + health);
    }

    @Test
    void missingOrWrongTokensAreRefused() {
        ClientRuns.Result none = run("models", tls());
        assertEquals(2, none.code(), none.toString());
        assertTrue(none.err().contains("UNAUTHENTICATED") && none.err().contains("missing bearer token"), none.err());
        ClientRuns.Result wrong = run("models", tls(), "--token", TOKEN + "x", "--retries", "3");
        assertEquals(2, wrong.code(), wrong.toString());
        assertTrue(wrong.err().contains("UNAUTHENTICATED") && !wrong.err().contains("retry"),
                "refusals are not retried: " + wrong.err());
        ClientRuns.Result stream = run("stream", tls(), frames.toString(), "--no-progress");
        assertEquals(2, stream.code(), stream.toString());
        assertTrue(stream.err().contains("stream failed: UNAUTHENTICATED"), stream.err());
    }

    @Test
    void transportWithoutTheRightCertificatesIsRefused() {
        String ca = DIR.resolve("ca.crt").toString();
        ClientRuns.Result noClientCert = run("models", new String[] {"--ca", ca}, "--token", TOKEN);
        assertEquals(2, noClientCert.code(), noClientCert.toString());
        ClientRuns.Result plaintext = run("models", new String[0], "--token", TOKEN, "--deadline-ms", "5000");
        assertEquals(2, plaintext.code(), plaintext.toString());
        assertTrue(plaintext.err().contains("without TLS"), "warns about a token in plaintext: " + plaintext.err());
        ClientRuns.Result systemTrust = run("models", new String[] {"--tls", "--cert", DIR.resolve("client.crt").toString(),
            "--key", DIR.resolve("client.key").toString()}, "--token", TOKEN);
        assertEquals(2, systemTrust.code(), "the test CA is not a system CA: " + systemTrust);
        ClientRuns.Result certOnly = run("models", new String[] {"--cert", DIR.resolve("client.crt").toString()});
        assertEquals(2, certOnly.code());
        assertTrue(certOnly.err().contains("--cert and --key go together"), certOnly.err());
        ClientRuns.Result both = run("models", tls(), "--token", TOKEN, "--token-file", tokenFile.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("not both"), both.err());
    }

    /** Test certificates made with openssl and keytool. */
    static final class Certificates {
        static final String STORE_PASSWORD = "client-ca-store";

        static void make(Path dir) {
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("ca.cnf"), String.join("\n", "[req]", "distinguished_name = dn",
                        "x509_extensions = v3_ca", "prompt = no", "[dn]", "CN = dad test CA", "[v3_ca]",
                        "basicConstraints = critical,CA:TRUE", "keyUsage = critical,keyCertSign,cRLSign",
                        "subjectKeyIdentifier = hash", ""));
                Files.writeString(dir.resolve("server.ext"), String.join("\n", "basicConstraints = CA:FALSE",
                        "subjectAltName = DNS:localhost", "keyUsage = digitalSignature,keyEncipherment",
                        "extendedKeyUsage = serverAuth", ""));
                Files.writeString(dir.resolve("client.ext"), String.join("\n", "basicConstraints = CA:FALSE",
                        "keyUsage = digitalSignature,keyEncipherment", "extendedKeyUsage = clientAuth", ""));
                Files.deleteIfExists(dir.resolve("clients-ca.p12"));
                exec(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
                        "-out", "ca.crt", "-days", "2", "-config", "ca.cnf");
                for (String who : new String[] {"server", "client"}) {
                    exec(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key",
                            "-out", who + ".csr", "-subj", who.equals("server") ? "/CN=localhost" : "/CN=station-3");
                    exec(dir, "openssl", "x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                            "-CAcreateserial", "-out", who + ".crt", "-days", "2", "-extfile", who + ".ext");
                }
                exec(dir, "keytool", "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt",
                        "-keystore", "clients-ca.p12", "-storetype", "PKCS12", "-storepass", STORE_PASSWORD);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot make the test certificates", e);
            }
        }

        private static void exec(Path dir, String... command) throws IOException, InterruptedException {
            if (command[0].equals("keytool")) {
                command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            }
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        }
    }
}
