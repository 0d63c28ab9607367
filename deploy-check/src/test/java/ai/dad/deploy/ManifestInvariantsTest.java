package ai.dad.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders the kustomize overlays in {@code k8s/} and checks them against the service itself:
 * the ports come from {@code service/src/main/resources/application.properties}, the drain
 * timeout from the ConfigMap (or the default in {@code ServiceConfig.java}), the setting names
 * from {@code ServiceConfig.java}; the training Job ({@code k8s/training}) against the script it
 * runs and the models claim the service reads. Needs {@code kubectl} (or {@code kustomize});
 * skipped without.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManifestInvariantsTest {

    private static final String APP = "dad-inspector";
    private static final String HEADLESS = "dad-inspector-headless";
    private static final String GPU = "nvidia.com/gpu";
    private static final int MIN_STARTUP_SECONDS = 300;

    private Path root;
    private int grpcPort;
    private int httpPort;
    private Duration defaultDrain;
    private Set<String> knownEnv;
    private final Map<String, List<Map<String, Object>>> rendered = new HashMap<>();

    @BeforeAll
    void render() throws Exception {
        root = Path.of(System.getProperty("dad.repo.root", "..")).toAbsolutePath().normalize();
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(
                root.resolve("service/src/main/resources/application.properties"), StandardCharsets.UTF_8)) {
            props.load(in);
        }
        grpcPort = Integer.parseInt(props.getProperty("quarkus.grpc.server.port", "9000").trim());
        httpPort = Integer.parseInt(props.getProperty("quarkus.http.port", "8080").trim());
        String config = Files.readString(root.resolve("service/src/main/java/ai/dad/service/ServiceConfig.java"));
        defaultDrain = defaultDrainTimeout(config);
        knownEnv = settingEnvNames(config);

        List<String> tool = kustomizeCommand();
        Assumptions.assumeTrue(tool != null, "neither kubectl nor kustomize is installed: manifests not rendered");
        for (String overlay : List.of("cpu", "gpu")) {
            rendered.put(overlay, build(tool, root.resolve("k8s/overlays/" + overlay)));
        }
        // The PVC alternative: the cpu overlay plus the models-pvc component.
        Path tmp = root.resolve("deploy-check/target/kustomize-pvc");
        Files.createDirectories(tmp);
        Files.writeString(tmp.resolve("kustomization.yaml"), String.join("\n",
                "apiVersion: kustomize.config.k8s.io/v1beta1",
                "kind: Kustomization",
                "resources:",
                "  - " + tmp.relativize(root.resolve("k8s/overlays/cpu")).toString().replace('\\', '/'),
                "components:",
                "  - " + tmp.relativize(root.resolve("k8s/components/models-pvc")).toString().replace('\\', '/'),
                ""));
        rendered.put("cpu+models-pvc", build(tool, tmp));
        // The training Job (both variants), its storage, and one product's Job as docs/DEPLOY.md shows it.
        for (String variant : List.of("cpu", "gpu")) {
            rendered.put("training-" + variant, build(tool, root.resolve("k8s/training/overlays/" + variant)));
        }
        rendered.put("training-storage", build(tool, root.resolve("k8s/training/storage")));
        rendered.put("training-washer", build(tool, root.resolve("k8s/training/products/washer")));
    }

    // ---- the pod: ports, probes, termination --------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void portsAreTheServicePorts(String overlay) {
        Map<String, Object> c = mainContainer(overlay);
        assertEquals(grpcPort, containerPort(c, "grpc"), overlay + ": container port 'grpc'");
        assertEquals(httpPort, containerPort(c, "http"), overlay + ": container port 'http'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void readinessIsHttpReadyOnTheHttpPort(String overlay) {
        Map<String, Object> c = mainContainer(overlay);
        Map<String, Object> probe = map(c.get("readinessProbe"), overlay + ": readinessProbe");
        Map<String, Object> get = map(probe.get("httpGet"), overlay + ": readinessProbe.httpGet");
        assertEquals("/q/health/ready", get.get("path"), overlay + ": readiness path");
        assertEquals(httpPort, resolvePort(c, get.get("port")), overlay + ": readiness port");
    }

    /** The kubelet's gRPC probe speaks plaintext only: it would fail once TLS is on (docs/SECURITY.md). */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu+models-pvc"})
    void noProbeDependsOnPlaintextGrpc(String overlay) {
        for (Map<String, Object> c : containers(overlay, "containers")) {
            for (String kind : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                assertNull(mapOrEmpty(c.get(kind)).get("grpc"), overlay + ": " + kind + " is a native gRPC probe, "
                        + "which breaks when the gRPC port turns to TLS; probe /q/health/* on the HTTP port");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void livenessIsHttpLiveAndTolerant(String overlay) {
        Map<String, Object> c = mainContainer(overlay);
        Map<String, Object> probe = map(c.get("livenessProbe"), overlay + ": livenessProbe");
        Map<String, Object> get = map(probe.get("httpGet"), overlay + ": livenessProbe.httpGet");
        assertEquals("/q/health/live", get.get("path"), overlay + ": liveness path");
        assertEquals(httpPort, resolvePort(c, get.get("port")), overlay + ": liveness port");
        int timeout = intOr(probe.get("timeoutSeconds"), 1);
        int window = intOr(probe.get("periodSeconds"), 10) * intOr(probe.get("failureThreshold"), 3);
        assertTrue(timeout >= 3, overlay + ": liveness timeoutSeconds " + timeout + " would kill a busy pod");
        assertTrue(window >= 30, overlay + ": liveness tolerates only " + window + " s of failures");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void startupProbeWaitsForModelsLongEnough(String overlay) {
        Map<String, Object> c = mainContainer(overlay);
        Map<String, Object> probe = map(c.get("startupProbe"), overlay + ": startupProbe");
        Map<String, Object> get = map(probe.get("httpGet"), overlay + ": startupProbe.httpGet");
        // Not /q/health/started: the service defines no start-up check, so it is UP before any model loads.
        assertEquals("/q/health/ready", get.get("path"), overlay + ": startup path");
        assertEquals(httpPort, resolvePort(c, get.get("port")), overlay + ": startup port");
        int budget = intOr(probe.get("periodSeconds"), 10) * intOr(probe.get("failureThreshold"), 3);
        assertTrue(budget >= MIN_STARTUP_SECONDS,
                overlay + ": startup budget " + budget + " s < " + MIN_STARTUP_SECONDS + " s for model load + warm-up");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu+models-pvc"})
    void everyProbePortIsDeclared(String overlay) {
        for (Map<String, Object> c : containers(overlay, "containers")) {
            for (String kind : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                Object probe = c.get(kind);
                if (probe == null) {
                    continue;
                }
                for (String handler : List.of("grpc", "httpGet", "tcpSocket")) {
                    Object h = ((Map<?, ?>) probe).get(handler);
                    if (h != null) {
                        Object port = ((Map<?, ?>) h).get("port");
                        int resolved = resolvePort(c, port);
                        assertTrue(resolved == grpcPort || resolved == httpPort,
                                overlay + ": " + kind + " on port " + port + ", which the service does not listen on");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void graceCoversDrainAndPreStop(String overlay) {
        Map<String, Object> pod = podSpec(overlay);
        Map<String, Object> c = mainContainer(overlay);
        Number grace = (Number) pod.get("terminationGracePeriodSeconds");
        assertNotNull(grace, overlay + ": terminationGracePeriodSeconds is not set (default 30 s)");
        Duration drain = drainTimeout(overlay, c);
        long preStop = preStopSeconds(c);
        assertTrue(preStop > 0, overlay + ": no preStop sleep: clients may still be routed to the pod at SIGTERM");
        assertTrue(grace.longValue() > drain.toSeconds() + preStop,
                overlay + ": terminationGracePeriodSeconds " + grace + " <= drain " + drain.toSeconds()
                        + " s + preStop " + preStop + " s");
    }

    // ---- security ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu", "cpu+models-pvc"})
    void everyContainerIsLockedDown(String overlay) {
        Map<String, Object> pod = podSpec(overlay);
        assertLockedDown(overlay, pod);
        Map<String, Object> sa = one(overlay, "ServiceAccount", String.valueOf(pod.get("serviceAccountName")));
        assertEquals(Boolean.FALSE, sa.get("automountServiceAccountToken"), overlay + ": ServiceAccount token");
    }

    /** Non-root 10001, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp, requests and limits; no API token. */
    private static void assertLockedDown(String overlay, Map<String, Object> pod) {
        Map<String, Object> podSec = mapOrEmpty(pod.get("securityContext"));
        List<Map<String, Object>> all = new ArrayList<>();
        for (String field : List.of("initContainers", "containers")) {
            if (pod.get(field) != null) {
                all.addAll(list(pod.get(field)));
            }
        }
        assertFalse(all.isEmpty(), overlay + ": no containers");
        for (Map<String, Object> c : all) {
            String who = overlay + ": container " + c.get("name");
            Map<String, Object> sec = mapOrEmpty(c.get("securityContext"));
            assertEquals(Boolean.TRUE, effective(sec, podSec, "runAsNonRoot"), who + ": runAsNonRoot");
            assertEquals(10001, ((Number) effective(sec, podSec, "runAsUser")).intValue(), who + ": runAsUser");
            assertEquals(Boolean.TRUE, sec.get("readOnlyRootFilesystem"), who + ": readOnlyRootFilesystem");
            assertEquals(Boolean.FALSE, sec.get("allowPrivilegeEscalation"), who + ": allowPrivilegeEscalation");
            Object drop = mapOrEmpty(sec.get("capabilities")).get("drop");
            assertTrue(drop instanceof List<?> l && l.contains("ALL"), who + ": capabilities.drop ALL");
            Object seccomp = effective(sec, podSec, "seccompProfile");
            assertEquals("RuntimeDefault", mapOrEmpty(seccomp).get("type"), who + ": seccompProfile");
            assertTrue(c.get("resources") instanceof Map<?, ?> r && r.get("requests") != null && r.get("limits") != null,
                    who + ": resource requests and limits");
        }
        assertEquals(Boolean.FALSE, pod.get("automountServiceAccountToken"), overlay + ": pod mounts an API token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void writablePathsAreEmptyDirs(String overlay) {
        Map<String, Object> c = mainContainer(overlay);
        Map<String, String> env = containerEnv(overlay, c);
        assertTrue(isEmptyDirMount(podSpec(overlay), c, "/tmp"), overlay + ": /tmp must be a writable emptyDir");
        String djlCache = env.get("DJL_CACHE_DIR");
        assertNotNull(djlCache, overlay + ": DJL_CACHE_DIR not set (DJL would write under the read-only HOME)");
        assertTrue(isEmptyDirMount(podSpec(overlay), c, djlCache), overlay + ": DJL_CACHE_DIR " + djlCache + " is not on an emptyDir");
        String models = env.get("DAD_MODELS_DIR");
        assertNotNull(models, overlay + ": DAD_MODELS_DIR not set");
        Map<String, Object> mount = mountFor(c, models);
        assertNotNull(mount, overlay + ": nothing mounted at DAD_MODELS_DIR " + models);
        assertEquals(Boolean.TRUE, mount.get("readOnly"), overlay + ": the service mounts its models read-only");
    }

    // ---- variants -------------------------------------------------------------------------------

    @Test
    void gpuLimitOnlyInGpuOverlay() {
        assertEquals(1, ((Number) limits(mainContainer("gpu")).get(GPU)).intValue(), "gpu overlay: nvidia.com/gpu limit 1");
        for (String overlay : List.of("cpu", "cpu+models-pvc")) {
            List<Map<String, Object>> all = new ArrayList<>(containers(overlay, "initContainers"));
            all.addAll(containers(overlay, "containers"));
            for (Map<String, Object> c : all) {
                Map<String, Object> res = mapOrEmpty(c.get("resources"));
                assertFalse(mapOrEmpty(res.get("limits")).containsKey(GPU), overlay + ": GPU limit on " + c.get("name"));
                assertFalse(mapOrEmpty(res.get("requests")).containsKey(GPU), overlay + ": GPU request on " + c.get("name"));
            }
        }
        Map<String, Object> gpuPod = podSpec("gpu");
        assertTrue(String.valueOf(gpuPod.get("tolerations")).contains(GPU), "gpu overlay: toleration for nvidia.com/gpu");
        assertFalse(mapOrEmpty(gpuPod.get("nodeSelector")).isEmpty(), "gpu overlay: nodeSelector for GPU nodes");
        assertEquals("gpu", configEnv("gpu").get("DAD_DEVICE"));
        assertEquals("32", configEnv("gpu").get("DAD_BATCH_MAX_SIZE"));
        assertEquals("cpu", configEnv("cpu").get("DAD_DEVICE"));
        assertEquals("4", configEnv("cpu").get("DAD_BATCH_MAX_SIZE"));
        String cpuImage = String.valueOf(mainContainer("cpu").get("image"));
        String gpuImage = String.valueOf(mainContainer("gpu").get("image"));
        assertTrue(cpuImage.contains(":") && gpuImage.contains(":"), "overlays pin image tags");
        assertFalse(cpuImage.equals(gpuImage), "cpu and gpu overlays use different images");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void everyServiceSettingIsKnown(String overlay) {
        for (String key : configEnv(overlay).keySet()) {
            if (key.startsWith("DAD_")) {
                assertTrue(knownEnv.contains(key), overlay + ": " + key + " is no setting of ServiceConfig "
                        + "(it would be ignored); known: " + knownEnv);
            }
        }
        assertFalse(Boolean.TRUE.equals(podSpec(overlay).get("enableServiceLinks")),
                overlay + ": service links would inject DAD_INSPECTOR_* variables into the DAD_ namespace");
        // Bearer-token auth (dad.auth.*): tokens belong in a Secret.
        assertFalse(configEnv(overlay).containsKey("DAD_AUTH_TOKENS"),
                overlay + ": tokens in a ConfigMap; use a Secret (DAD_AUTH_TOKEN_FILE)");
    }

    // ---- Services, HPA, PDB ------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void servicesReachThePod(String overlay) {
        Map<String, Object> c = mainContainer(overlay);
        Map<String, Object> podLabels = podLabels(overlay);

        Map<String, Object> svc = one(overlay, "Service", APP);
        Map<String, Object> spec = map(svc.get("spec"), "Service spec");
        assertTrue(spec.get("type") == null || "ClusterIP".equals(spec.get("type")), overlay + ": ClusterIP Service");
        assertSelects(overlay, spec, podLabels);
        Set<Integer> targets = new LinkedHashSet<>();
        for (Map<String, Object> port : list(spec.get("ports"))) {
            targets.add(resolvePort(c, port.getOrDefault("targetPort", port.get("port"))));
        }
        assertEquals(Set.of(grpcPort, httpPort), targets, overlay + ": Service ports reach grpc and http");
        Map<String, Object> ann = mapOrEmpty(map(svc.get("metadata"), "metadata").get("annotations"));
        assertEquals("true", ann.get("prometheus.io/scrape"), overlay + ": prometheus.io/scrape");
        assertEquals(String.valueOf(httpPort), ann.get("prometheus.io/port"), overlay + ": prometheus.io/port");
        assertEquals("/q/metrics", ann.get("prometheus.io/path"), overlay + ": prometheus.io/path");

        Map<String, Object> headless = map(one(overlay, "Service", HEADLESS).get("spec"), "headless spec");
        assertEquals("None", headless.get("clusterIP"), overlay + ": headless Service has clusterIP None");
        assertSelects(overlay, headless, podLabels);
        assertFalse(Boolean.TRUE.equals(headless.get("publishNotReadyAddresses")),
                overlay + ": headless DNS must list only ready pods");
        List<Integer> headlessTargets = list(headless.get("ports")).stream()
                .map(p -> resolvePort(c, p.getOrDefault("targetPort", p.get("port")))).toList();
        assertEquals(List.of(grpcPort), headlessTargets, overlay + ": headless Service serves gRPC");
        assertEquals(grpcPort, ((Number) list(headless.get("ports")).get(0).get("port")).intValue(),
                overlay + ": dns:///" + HEADLESS + ".<ns>.svc:" + grpcPort);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void autoscalerAndDisruptionBudget(String overlay) {
        Map<String, Object> hpa = one(overlay, "HorizontalPodAutoscaler", APP);
        assertEquals("autoscaling/v2", hpa.get("apiVersion"), overlay + ": HPA API");
        Map<String, Object> spec = map(hpa.get("spec"), "HPA spec");
        Map<String, Object> target = map(spec.get("scaleTargetRef"), "scaleTargetRef");
        assertEquals("Deployment", target.get("kind"));
        assertEquals(APP, target.get("name"));
        assertTrue(intOr(spec.get("minReplicas"), 1) >= 2, overlay + ": minReplicas >= 2 (one pod may drain)");
        assertTrue(String.valueOf(spec.get("metrics")).contains("name=cpu"), overlay + ": HPA scales on CPU");
        assertTrue(mapOrEmpty(limits(mainContainer(overlay))).containsKey("cpu")
                        || mapOrEmpty(mapOrEmpty(mainContainer(overlay).get("resources")).get("requests")).containsKey("cpu"),
                overlay + ": CPU utilisation needs a CPU request");
        assertFalse(map(deployment(overlay).get("spec"), "spec").containsKey("replicas"),
                overlay + ": the HPA owns the replica count");

        Map<String, Object> pdb = one(overlay, "PodDisruptionBudget", APP);
        Map<String, Object> pdbSpec = map(pdb.get("spec"), "PDB spec");
        assertTrue(pdbSpec.containsKey("maxUnavailable") || pdbSpec.containsKey("minAvailable"), overlay + ": PDB budget");
        Map<String, Object> podLabels = podLabels(overlay);
        Map<String, Object> matchLabels = mapOrEmpty(mapOrEmpty(pdbSpec.get("selector")).get("matchLabels"));
        assertFalse(matchLabels.isEmpty(), overlay + ": PDB selector");
        matchLabels.forEach((k, v) -> assertEquals(v, podLabels.get(k), overlay + ": PDB selects the pods (" + k + ")"));
    }

    @Test
    void modelsPvcComponentReplacesTheInitContainer() {
        String overlay = "cpu+models-pvc";
        assertTrue(containers(overlay, "initContainers").isEmpty(), "no model-copying init container with a PVC");
        one(overlay, "PersistentVolumeClaim", "dad-models");
        Map<String, Object> volume = list(podSpec(overlay).get("volumes")).stream()
                .filter(v -> "models".equals(v.get("name"))).findFirst().orElseThrow();
        Map<String, Object> claim = map(volume.get("persistentVolumeClaim"), "models volume is a PVC");
        assertEquals("dad-models", claim.get("claimName"));
        assertFalse(volume.containsKey("emptyDir"), "models volume is not also an emptyDir");
        assertEquals(Boolean.TRUE, mountFor(mainContainer(overlay), configEnv(overlay).get("DAD_MODELS_DIR")).get("readOnly"));
        assertTrue(String.valueOf(map(one(overlay, "PersistentVolumeClaim", "dad-models").get("spec"), "PVC spec")
                .get("accessModes")).contains("ReadWriteMany"), "models claim: the pods read it while training Jobs write it");
    }

    // ---- the training Job ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"training-cpu", "training-gpu", "training-washer"})
    void trainingJobIsLockedDown(String overlay) {
        assertLockedDown(overlay, jobPod(overlay));
        assertEquals(Boolean.FALSE, jobPod(overlay).get("enableServiceLinks"), overlay + ": service links");
    }

    /** The Job runs deploy/train-job.sh with every variable the script requires, and retries resume their own run. */
    @ParameterizedTest
    @ValueSource(strings = {"training-cpu", "training-gpu", "training-washer"})
    void trainingJobRunsTheJobScriptWithWhatItNeeds(String overlay) throws IOException {
        Map<String, Object> c = trainContainer(overlay);
        List<?> command = (List<?>) c.get("command");
        assertNotNull(command, overlay + ": the Job names its command");
        String script = String.valueOf(command.get(0));
        assertTrue(script.startsWith("/opt/dad/"), overlay + ": command " + script + " outside the image's /opt/dad");
        Path source = root.resolve(script.substring("/opt/dad/".length()));
        assertTrue(Files.isRegularFile(source), overlay + ": " + source + " (the image copies the repository's layout)");
        Map<String, String> env = jobEnv(overlay, c);
        Matcher required = Pattern.compile("\\$\\{(\\w+):\\?").matcher(Files.readString(source));
        int count = 0;
        while (required.find()) {
            count++;
            assertTrue(env.containsKey(required.group(1)), overlay + ": " + required.group(1) + " required by " + script);
        }
        assertTrue(count >= 3, "no required variables read from " + source);
        String id = env.get("MODEL_ID");
        assertTrue(id.matches("[A-Za-z0-9][A-Za-z0-9._-]*") && !id.endsWith(".tmp"),
                overlay + ": MODEL_ID '" + id + "' is no directory name the service would load");
        Map<String, Object> spec = map(job(overlay).get("spec"), "Job spec");
        assertTrue(List.of("Never", "OnFailure").contains(jobPod(overlay).get("restartPolicy")), overlay + ": restartPolicy");
        assertTrue(intOr(spec.get("backoffLimit"), 6) >= 1, overlay + ": a failed pod is retried");
        assertTrue(String.valueOf(c.get("env")).contains("batch.kubernetes.io/controller-uid"),
                overlay + ": RUN_ID is the Job's uid, so a retry resumes this run's checkpoints");
    }

    /** The Job publishes into the very claim the service watches, and reads the training-data claim. */
    @ParameterizedTest
    @ValueSource(strings = {"training-cpu", "training-gpu", "training-washer"})
    void trainingJobWritesWhereTheServiceWatches(String overlay) {
        Map<String, Object> c = trainContainer(overlay);
        Map<String, String> env = jobEnv(overlay, c);
        Map<String, Object> models = mountFor(c, env.get("MODELS_DIR"));
        assertNotNull(models, overlay + ": nothing mounted at MODELS_DIR " + env.get("MODELS_DIR"));
        assertFalse(Boolean.TRUE.equals(models.get("readOnly")), overlay + ": the Job writes the models volume");
        String serviceClaim = String.valueOf(map(list(podSpec("cpu+models-pvc").get("volumes")).stream()
                .filter(v -> "models".equals(v.get("name"))).findFirst().orElseThrow().get("persistentVolumeClaim"),
                "service models claim").get("claimName"));
        assertEquals(serviceClaim, claimOf(overlay, models), overlay + ": the Job writes the claim the service reads");
        Map<String, Object> data = mountFor(c, env.get("DATA_ROOT"));
        assertNotNull(data, overlay + ": nothing mounted at DATA_ROOT");
        String dataClaim = claimOf(overlay, data);
        Map<String, Object> pvc = one("training-storage", "PersistentVolumeClaim", dataClaim);
        assertTrue(String.valueOf(map(pvc.get("spec"), "PVC spec").get("accessModes")).contains("ReadWriteMany"),
                "training data: Jobs of several products run at once");
        assertTrue(isEmptyDirMount(jobPod(overlay), c, "/tmp"), overlay + ": /tmp must be a writable emptyDir");
        assertTrue(env.get("DJL_CACHE_DIR").startsWith("/tmp/"), overlay + ": DJL_CACHE_DIR on the /tmp emptyDir");
        assertTrue(docs(overlay).stream().noneMatch(d -> "PersistentVolumeClaim".equals(d.get("kind"))),
                overlay + ": the claims are shared, not made (or renamed) per Job");
    }

    @Test
    void gpuOnlyInTheGpuTrainingJob() {
        assertEquals(1, ((Number) limits(trainContainer("training-gpu")).get(GPU)).intValue(), "training-gpu: GPU limit 1");
        assertTrue(String.valueOf(jobPod("training-gpu").get("tolerations")).contains(GPU), "training-gpu: toleration");
        assertFalse(mapOrEmpty(jobPod("training-gpu").get("nodeSelector")).isEmpty(), "training-gpu: nodeSelector");
        for (String overlay : List.of("training-cpu", "training-washer")) {
            assertFalse(limits(trainContainer(overlay)).containsKey(GPU), overlay + ": GPU limit");
        }
        assertEquals("gpu", jobEnv("training-gpu", trainContainer("training-gpu")).get("DEVICE"));
        assertEquals("cpu", jobEnv("training-cpu", trainContainer("training-cpu")).get("DEVICE"));
        assertFalse(trainContainer("training-cpu").get("image").equals(trainContainer("training-gpu").get("image")),
                "cpu and gpu trainer images differ");
    }

    @Test
    void aProductsJobIsNamedAfterItsModel() {
        assertEquals("dad-train-washer", mapOrEmpty(job("training-washer").get("metadata")).get("name"));
        assertEquals("washer", jobEnv("training-washer", trainContainer("training-washer")).get("MODEL_ID"));
    }

    // ---- reading the service's own sources ------------------------------------------------------

    /** The {@code @WithDefault} of {@code drainTimeout()} in ServiceConfig.java. */
    static Duration defaultDrainTimeout(String source) {
        Matcher m = Pattern.compile("@WithDefault\\(\"([^\"]+)\"\\)\\s*Duration\\s+drainTimeout\\(\\)").matcher(source);
        assertTrue(m.find(), "no @WithDefault on drainTimeout() in ServiceConfig.java");
        return parseDuration(m.group(1));
    }

    /**
     * The environment names of every setting in ServiceConfig.java: {@code DAD_} + the group
     * accessor (e.g. {@code batch()}) + the setting, in upper snake case.
     */
    static Set<String> settingEnvNames(String source) {
        Pattern nested = Pattern.compile("^\\s*interface\\s+(\\w+)\\s*\\{");
        Pattern method = Pattern.compile("^\\s*([\\w.<>]+)\\s+(\\w+)\\(\\);");
        Map<String, String> groupOfType = new HashMap<>();     // Batch -> batch
        Map<String, List<String>> leaves = new LinkedHashMap<>(); // "" or type -> methods
        Map<String, String> topLevelTypes = new LinkedHashMap<>();
        int depth = 0;
        String current = "";
        for (String line : source.split("\n")) {
            Matcher n = nested.matcher(line);
            if (depth == 1 && n.find()) {
                current = n.group(1);
            }
            Matcher m = method.matcher(line);
            if (m.find()) {
                if (depth == 1) {
                    topLevelTypes.put(m.group(2), m.group(1));
                } else if (depth == 2) {
                    leaves.computeIfAbsent(current, k -> new ArrayList<>()).add(m.group(2));
                }
            }
            for (char ch : line.toCharArray()) {
                depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
            }
        }
        Set<String> names = new LinkedHashSet<>();
        topLevelTypes.forEach((name, type) -> {
            if (leaves.containsKey(type)) {
                groupOfType.put(type, name);
            } else {
                names.add("DAD_" + snake(name));
            }
        });
        groupOfType.forEach((type, group) -> leaves.get(type)
                .forEach(leaf -> names.add("DAD_" + snake(group) + "_" + snake(leaf))));
        assertTrue(names.contains("DAD_DRAIN_TIMEOUT") && names.contains("DAD_BATCH_MAX_SIZE")
                && names.contains("DAD_MODELS_DIR"), "could not read the settings of ServiceConfig.java: " + names);
        return names;
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    /** Quarkus' duration syntax: a number (seconds), a number with ms/s/m/h/d, or ISO-8601. */
    static Duration parseDuration(String text) {
        String t = text.trim();
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(t);
        if (m.matches()) {
            long v = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(v);
                case "s" -> Duration.ofSeconds(v);
                case "m" -> Duration.ofMinutes(v);
                case "h" -> Duration.ofHours(v);
                default -> Duration.ofDays(v);
            };
        }
        return Duration.parse(t.startsWith("P") || t.startsWith("p") ? t : "PT" + t);
    }

    // ---- rendering --------------------------------------------------------------------------------

    private static List<String> kustomizeCommand() {
        if (runs("kubectl", "version", "--client")) {
            return List.of("kubectl", "kustomize");
        }
        if (runs("kustomize", "version")) {
            return List.of("kustomize", "build");
        }
        return null;
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<Map<String, Object>> build(List<String> tool, Path dir) throws Exception {
        List<String> command = new ArrayList<>(tool);
        command.add(dir.toString());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kustomize timed out on " + dir);
        assertEquals(0, p.exitValue(), "kustomize failed on " + dir + ":\n" + err);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(out)) {
            if (doc != null) {
                docs.add(cast(doc));
            }
        }
        assertFalse(docs.isEmpty(), "nothing rendered from " + dir);
        return docs;
    }

    // ---- navigating the rendered objects -----------------------------------------------------------

    private List<Map<String, Object>> docs(String overlay) {
        List<Map<String, Object>> docs = rendered.get(overlay);
        assertNotNull(docs, "not rendered: " + overlay);
        return docs;
    }

    private Map<String, Object> one(String overlay, String kind, String name) {
        List<Map<String, Object>> found = docs(overlay).stream()
                .filter(d -> kind.equals(d.get("kind")) && name.equals(mapOrEmpty(d.get("metadata")).get("name")))
                .toList();
        assertEquals(1, found.size(), overlay + ": expected one " + kind + " " + name);
        return found.get(0);
    }

    private Map<String, Object> deployment(String overlay) {
        return one(overlay, "Deployment", APP);
    }

    private Map<String, Object> podSpec(String overlay) {
        Map<String, Object> template = map(map(deployment(overlay).get("spec"), "spec").get("template"), "template");
        return map(template.get("spec"), "pod spec");
    }

    private Map<String, Object> podLabels(String overlay) {
        Map<String, Object> template = map(map(deployment(overlay).get("spec"), "spec").get("template"), "template");
        return mapOrEmpty(mapOrEmpty(template.get("metadata")).get("labels"));
    }

    private List<Map<String, Object>> containers(String overlay, String field) {
        Object value = podSpec(overlay).get(field);
        return value == null ? List.of() : list(value);
    }

    private Map<String, Object> mainContainer(String overlay) {
        List<Map<String, Object>> cs = containers(overlay, "containers");
        assertEquals(1, cs.size(), overlay + ": one container");
        return cs.get(0);
    }

    private Map<String, Object> job(String overlay) {
        List<Map<String, Object>> jobs = docs(overlay).stream().filter(d -> "Job".equals(d.get("kind"))).toList();
        assertEquals(1, jobs.size(), overlay + ": one Job");
        return jobs.get(0);
    }

    private Map<String, Object> jobPod(String overlay) {
        Map<String, Object> template = map(map(job(overlay).get("spec"), "Job spec").get("template"), "Job template");
        return map(template.get("spec"), "Job pod spec");
    }

    private Map<String, Object> trainContainer(String overlay) {
        List<Map<String, Object>> cs = list(jobPod(overlay).get("containers"));
        assertEquals(1, cs.size(), overlay + ": one container");
        return cs.get(0);
    }

    /** Every variable the container gets: its ConfigMaps, then its own env (values, or the name for valueFrom). */
    private Map<String, String> jobEnv(String overlay, Map<String, Object> c) {
        Map<String, String> env = configMapEnv(overlay, c);
        for (Map<String, Object> e : list(c.getOrDefault("env", List.of()))) {
            env.put(String.valueOf(e.get("name")), String.valueOf(e.getOrDefault("value", e.get("valueFrom"))));
        }
        return env;
    }

    private String claimOf(String overlay, Map<String, Object> mount) {
        Map<String, Object> volume = list(jobPod(overlay).get("volumes")).stream()
                .filter(v -> mount.get("name").equals(v.get("name"))).findFirst().orElseThrow();
        return String.valueOf(map(volume.get("persistentVolumeClaim"), overlay + ": volume " + mount.get("name") + " is a PVC")
                .get("claimName"));
    }

    /** The ConfigMap the main container takes its environment from. */
    private Map<String, String> configEnv(String overlay) {
        return configMapEnv(overlay, mainContainer(overlay));
    }

    private Map<String, String> configMapEnv(String overlay, Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> from : list(container.getOrDefault("envFrom", List.of()))) {
            Object ref = from.get("configMapRef");
            if (ref != null) {
                String name = String.valueOf(mapOrEmpty(ref).get("name"));
                Map<String, Object> cm = one(overlay, "ConfigMap", name);
                mapOrEmpty(cm.get("data")).forEach((k, v) -> env.put(k, String.valueOf(v)));
            }
        }
        return env;
    }

    private Map<String, String> containerEnv(String overlay, Map<String, Object> c) {
        Map<String, String> env = configEnv(overlay);
        for (Map<String, Object> e : list(c.getOrDefault("env", List.of()))) {
            if (e.get("value") != null) {
                env.put(String.valueOf(e.get("name")), String.valueOf(e.get("value")));
            }
        }
        return env;
    }

    private Duration drainTimeout(String overlay, Map<String, Object> c) {
        String value = containerEnv(overlay, c).get("DAD_DRAIN_TIMEOUT");
        return value == null ? defaultDrain : parseDuration(value);
    }

    private static long preStopSeconds(Map<String, Object> c) {
        Map<String, Object> preStop = mapOrEmpty(mapOrEmpty(c.get("lifecycle")).get("preStop"));
        if (preStop.get("sleep") != null) {
            return ((Number) mapOrEmpty(preStop.get("sleep")).get("seconds")).longValue();
        }
        Object command = mapOrEmpty(preStop.get("exec")).get("command");
        if (command instanceof List<?> words) {
            String joined = String.join(" ", words.stream().map(String::valueOf).toList());
            Matcher m = Pattern.compile("\\bsleep\\s+(\\d+)").matcher(joined);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return 0;
    }

    private static int containerPort(Map<String, Object> c, String name) {
        for (Map<String, Object> p : list(c.get("ports"))) {
            if (name.equals(p.get("name"))) {
                return ((Number) p.get("containerPort")).intValue();
            }
        }
        fail("container " + c.get("name") + " has no port named " + name);
        return -1;
    }

    /** A probe or Service target port: a number, or the name of a container port. */
    private static int resolvePort(Map<String, Object> c, Object port) {
        assertNotNull(port, "port missing");
        if (port instanceof Number n) {
            return n.intValue();
        }
        String s = String.valueOf(port);
        return s.matches("\\d+") ? Integer.parseInt(s) : containerPort(c, s);
    }

    private static Map<String, Object> mountFor(Map<String, Object> c, String path) {
        Map<String, Object> best = null;
        for (Map<String, Object> m : list(c.getOrDefault("volumeMounts", List.of()))) {
            String at = String.valueOf(m.get("mountPath")).replaceAll("/+$", "");
            if (path.equals(at) || path.startsWith(at + "/")) {
                if (best == null || at.length() > String.valueOf(best.get("mountPath")).length()) {
                    best = m;
                }
            }
        }
        return best;
    }

    private static boolean isEmptyDirMount(Map<String, Object> pod, Map<String, Object> c, String path) {
        Map<String, Object> mount = mountFor(c, path);
        if (mount == null || Boolean.TRUE.equals(mount.get("readOnly"))) {
            return false;
        }
        return list(pod.get("volumes")).stream()
                .anyMatch(v -> mount.get("name").equals(v.get("name")) && v.get("emptyDir") != null);
    }

    private static void assertSelects(String overlay, Map<String, Object> spec, Map<String, Object> podLabels) {
        Map<String, Object> selector = mapOrEmpty(spec.get("selector"));
        assertFalse(selector.isEmpty(), overlay + ": Service selector");
        selector.forEach((k, v) -> assertEquals(v, podLabels.get(k), overlay + ": Service selects the pods (" + k + ")"));
    }

    private static Map<String, Object> limits(Map<String, Object> c) {
        return mapOrEmpty(mapOrEmpty(c.get("resources")).get("limits"));
    }

    private static Object effective(Map<String, Object> container, Map<String, Object> pod, String key) {
        return container.containsKey(key) ? container.get(key) : pod.get(key);
    }

    private static int intOr(Object value, int fallback) {
        return value instanceof Number n ? n.intValue() : fallback;
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Map<K, V> cast(Object o) {
        return (Map<K, V>) o;
    }

    private static Map<String, Object> map(Object o, String what) {
        assertTrue(o instanceof Map<?, ?>, what + " is missing");
        return cast(o);
    }

    private static Map<String, Object> mapOrEmpty(Object o) {
        return o instanceof Map<?, ?> ? cast(o) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        assertTrue(o instanceof List<?>, "expected a list, got " + o);
        return (List<Map<String, Object>>) o;
    }
}
