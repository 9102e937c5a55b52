package dev.stampede.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The manifests of a distributed run on Kubernetes: a ConfigMap with the scenario and KPI files,
 * an Indexed Job of {@code shards} pods ({@code completionMode: Indexed},
 * {@code parallelism = completions = shards}, {@code backoffLimitPerIndex: 0}, a
 * {@code podFailurePolicy} that fails the Job when a pod exits with the late-start code) whose
 * pods start at one instant, and a merge Job that waits for every shard's result in the store,
 * merges them and judges the KPIs.
 *
 * <p>Kubernetes sets {@code JOB_COMPLETION_INDEX} in each pod of an Indexed Job; the manifests add
 * {@code STAMPEDE_SHARDS}, so {@code stampede run} knows its shard without {@code --shard}.
 * {@code backoffLimitPerIndex} needs Kubernetes 1.29 or later (beta, on by default; GA in 1.33)
 * and {@code podFailurePolicy} 1.26 or later (GA in 1.31).
 *
 * @param name the base name of the objects (a DNS label)
 * @param namespace the namespace, or {@code null} for the one kubectl uses
 * @param image the container image with the Stampede distribution
 * @param runId the run's id, shared by every shard
 * @param shards how many shards
 * @param startAt the instant every shard starts its load
 * @param resultsStore where shards write and the merge reads, e.g. {@code s3://bucket/prefix}
 * @param runOptions the options of {@code stampede run} besides the distributed ones
 * @param files the ConfigMap's files by name (the scenario, the KPI file), mounted at {@link #FILES_DIR}
 * @param kpiFile the name of the KPI file among {@code files}, or {@code null}
 * @param serviceAccount the pods' service account (IRSA on EKS), or {@code null}
 * @param mergeWait how long the merge Job waits for every shard's result
 * @param lateStartCode the exit code of a late shard
 */
public record KubernetesManifests(
    String name,
    String namespace,
    String image,
    String runId,
    int shards,
    Instant startAt,
    String resultsStore,
    List<String> runOptions,
    Map<String, String> files,
    String kpiFile,
    String serviceAccount,
    Duration mergeWait,
    int lateStartCode) {

  /** Where the ConfigMap's files are mounted in every pod. */
  public static final String FILES_DIR = "/stampede/files";
  /** The container's name, which the pod failure policy names. */
  public static final String CONTAINER = "stampede";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));

  public KubernetesManifests {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(startAt, "startAt");
    Objects.requireNonNull(resultsStore, "resultsStore");
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1 but was " + shards);
    }
    runOptions = List.copyOf(runOptions);
    files = Map.copyOf(new LinkedHashMap<>(files));
  }

  /** The three objects as one multi-document YAML stream, ready for {@code kubectl apply -f -}. */
  public String yaml() {
    StringBuilder out = new StringBuilder();
    out.append("# Stampede distributed run ").append(runId).append(": ").append(shards)
        .append(" shards starting at ").append(startAt).append('\n');
    for (ObjectNode object : List.of(configMap(), shardJob(), mergeJob())) {
      out.append("---\n");
      try {
        out.append(YAML.writeValueAsString(object));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }

  /** The ConfigMap with the scenario and KPI files. */
  public ObjectNode configMap() {
    ObjectNode map = object("v1", "ConfigMap", name + "-files");
    ObjectNode data = map.putObject("data");
    files.keySet().stream().sorted().forEach(file -> data.put(file, files.get(file)));
    return map;
  }

  /** The Indexed Job of the shards. */
  public ObjectNode shardJob() {
    ObjectNode job = object("batch/v1", "Job", name + "-shards");
    ObjectNode spec = job.putObject("spec");
    spec.put("completionMode", "Indexed");
    spec.put("completions", shards);
    spec.put("parallelism", shards);
    // No retry of a shard: a retried pod would start late and run a second, shifted load.
    spec.put("backoffLimitPerIndex", 0);
    spec.put("maxFailedIndexes", 0);
    ObjectNode rule = spec.putObject("podFailurePolicy").putArray("rules").addObject();
    rule.put("action", "FailJob");
    ObjectNode onExit = rule.putObject("onExitCodes");
    onExit.put("containerName", CONTAINER);
    onExit.put("operator", "In");
    onExit.putArray("values").add(lateStartCode);
    List<String> args = new ArrayList<>(List.of("run"));
    args.addAll(runOptions);
    args.addAll(List.of("--run-id", runId, "--start-at", startAt.toString(), "--expect-shards",
        Integer.toString(shards), "--results-dir", resultsStore));
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").set("labels", labels());
    ObjectNode pod = podSpec(template, args);
    ArrayNode env = ((ObjectNode) pod.get("containers").get(0)).putArray("env");
    env.addObject().put("name", "STAMPEDE_SHARDS").put("value", Integer.toString(shards));
    return job;
  }

  /** The Job that merges the shards' results and judges the KPIs on the whole run. */
  public ObjectNode mergeJob() {
    ObjectNode job = object("batch/v1", "Job", name + "-merge");
    ObjectNode spec = job.putObject("spec");
    spec.put("backoffLimit", 0);
    List<String> args = new ArrayList<>(List.of("merge", resultsStore.replaceAll("/+$", "") + "/" + runId,
        "--expect", Integer.toString(shards), "--wait", mergeWait.toSeconds() + "s"));
    if (kpiFile != null) {
      args.addAll(List.of("--kpi", FILES_DIR + "/" + kpiFile));
    }
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").set("labels", labels());
    podSpec(template, args);
    return job;
  }

  private ObjectNode podSpec(ObjectNode template, List<String> args) {
    ObjectNode pod = template.putObject("spec");
    // podFailurePolicy requires restartPolicy Never; the shards are never restarted anyway.
    pod.put("restartPolicy", "Never");
    if (serviceAccount != null) {
      pod.put("serviceAccountName", serviceAccount);
    }
    ObjectNode container = pod.putArray("containers").addObject();
    container.put("name", CONTAINER);
    container.put("image", image);
    ArrayNode argsNode = container.putArray("args");
    args.forEach(argsNode::add);
    container.putArray("volumeMounts").addObject().put("name", "files").put("mountPath", FILES_DIR)
        .put("readOnly", true);
    pod.putArray("volumes").addObject().put("name", "files").putObject("configMap").put("name", name + "-files");
    return pod;
  }

  private ObjectNode object(String apiVersion, String kind, String objectName) {
    ObjectNode node = YAML.createObjectNode();
    node.put("apiVersion", apiVersion);
    node.put("kind", kind);
    ObjectNode metadata = node.putObject("metadata");
    metadata.put("name", objectName);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.set("labels", labels());
    return node;
  }

  private ObjectNode labels() {
    ObjectNode labels = YAML.createObjectNode();
    labels.put("app.kubernetes.io/name", "stampede");
    labels.put("stampede.dev/run-id", runId);
    return labels;
  }
}
