package dev.stampede.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stampede.cli.Stampede;
import dev.stampede.kubernetes.KubernetesManifests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The manifests {@code stampede kubernetes} renders, read with the fabric8 Kubernetes model: every
 * field must be one the model knows (a misspelt field would land in a model object's
 * additionalProperties, which the API server rejects or, worse, ignores), and the Jobs must say
 * what a distributed run needs. The rendered examples in examples/kubernetes must be current.
 */
class KubernetesManifestsTest {

  static final Path EXAMPLES = Path.of("kubernetes");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The example of examples/kubernetes, rendered with a fixed start instant. */
  static KubernetesManifests example() throws Exception {
    return new KubernetesManifests("stampede-shop-1", "load-tests", "registry.example.com/stampede:0.1.0",
        "shop-1", 4, Instant.parse("2026-12-01T10:00:00Z"), "s3://my-stampede-results/runs",
        List.of("--scenario", KubernetesManifests.FILES_DIR + "/SingleEndpointScenario.java", "--host",
            "http://friend-service.demo.svc.cluster.local:8080", "--users", "400", "--spawn-rate", "40", "--run-time", "10m",
            "--listener", "prometheus"),
        Map.of("SingleEndpointScenario.java", Files.readString(Path.of("scenarios", "SingleEndpointScenario.java")),
            "kpis.yaml", Files.readString(EXAMPLES.resolve("kpis.yaml"))),
        "kpis.yaml", "stampede", Duration.ofMinutes(22), 4);
  }

  static List<HasMetadata> parse(String yaml) throws Exception {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      Map<?, ?> raw = YAML.readValue(doc, Map.class);
      Class<? extends HasMetadata> type = switch ((String) raw.get("kind")) {
        case "ConfigMap" -> ConfigMap.class;
        case "Job" -> Job.class;
        default -> throw new AssertionError("unexpected kind " + raw.get("kind"));
      };
      HasMetadata object = YAML.readValue(doc, type);
      assertNoUnknownFields(object, type.getSimpleName());
      objects.add(object);
    }
    return objects;
  }

  /** Walks the model's getters: any additionalProperties entry is a field the model does not know. */
  static void assertNoUnknownFields(Object node, String path) throws Exception {
    if (node == null || !node.getClass().getName().startsWith("io.fabric8")) {
      if (node instanceof Collection<?> items) {
        int i = 0;
        for (Object item : items) {
          assertNoUnknownFields(item, path + "[" + i++ + "]");
        }
      } else if (node instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          assertNoUnknownFields(e.getValue(), path + "." + e.getKey());
        }
      }
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value = getter.invoke(node);
      if (getter.getName().equals("getAdditionalProperties")) {
        assertThat((Map<?, ?>) value).as("unknown fields at " + path).isNullOrEmpty();
      } else {
        assertNoUnknownFields(value, path + "." + getter.getName().substring(3));
      }
    }
  }

  @Test
  void rendersOnlyFieldsTheKubernetesModelKnowsAndAnIndexedJobThatFailsOnALateShard() throws Exception {
    List<HasMetadata> objects = parse(example().yaml());

    assertThat(objects).extracting(o -> o.getKind() + " " + o.getMetadata().getName())
        .containsExactly("ConfigMap stampede-shop-1-files", "Job stampede-shop-1-shards", "Job stampede-shop-1-merge");
    Job shards = (Job) objects.get(1);
    var spec = shards.getSpec();
    assertThat(spec.getCompletionMode()).isEqualTo("Indexed");
    assertThat(spec.getCompletions()).isEqualTo(4);
    assertThat(spec.getParallelism()).isEqualTo(4);
    assertThat(spec.getBackoffLimitPerIndex()).isZero();
    var rule = spec.getPodFailurePolicy().getRules().get(0);
    assertThat(rule.getAction()).isEqualTo("FailJob");
    assertThat(rule.getOnExitCodes().getContainerName()).isEqualTo("stampede");
    assertThat(rule.getOnExitCodes().getOperator()).isEqualTo("In");
    assertThat(rule.getOnExitCodes().getValues()).containsExactly(4);
    var pod = spec.getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getServiceAccountName()).isEqualTo("stampede");
    var container = pod.getContainers().get(0);
    assertThat(container.getArgs()).startsWith("run").containsSubsequence("--start-at", "2026-12-01T10:00:00Z")
        .containsSubsequence("--results-dir", "s3://my-stampede-results/runs")
        .containsSubsequence("--expect-shards", "4").containsSubsequence("--run-id", "shop-1");
    assertThat(container.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("STAMPEDE_SHARDS");
      assertThat(e.getValue()).isEqualTo("4");
    });
    Job merge = (Job) objects.get(2);
    assertThat(merge.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("merge", "s3://my-stampede-results/runs/shop-1", "--expect", "4", "--wait", "1320s",
            "--kpi", "/stampede/files/kpis.yaml");
    assertThat(((ConfigMap) objects.get(0)).getData()).containsKeys("SingleEndpointScenario.java", "kpis.yaml");
  }

  @Test
  void aMisspeltFieldFailsTheCheck() {
    String job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec:\n  completionsMode: Indexed\n";

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse(job)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("unknown fields at Job.Spec");
  }

  @Test
  void theRenderedExampleIsCurrent() throws Exception {
    if (Boolean.getBoolean("stampede.update-examples")) {
      Files.writeString(EXAMPLES.resolve("distributed-run.yaml"), example().yaml(), StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(EXAMPLES.resolve("distributed-run.yaml"), StandardCharsets.UTF_8))
        .as("regenerate with -Dstampede.update-examples=true (examples/kubernetes/README.md)")
        .isEqualTo(example().yaml());
  }

  @Test
  void theCommandRendersFromRunsOptionsAndRefusesOptionsItSetsItself() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = Stampede.commandLine();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));

    int code = line.execute("kubernetes", "--shards", "3", "--image", "stampede:dev", "--results-dir", "s3://b/p",
        "--run-id", "r1", "--", "--url", "/", "--host", "http://svc:8080", "--users", "30", "-t", "1m");

    assertThat(code).as(err.toString()).isZero();
    List<HasMetadata> objects = parse(out.toString());
    assertThat(((Job) objects.get(1)).getSpec().getCompletions()).isEqualTo(3);
    assertThat(((Job) objects.get(2)).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSubsequence("--wait", "780s");

    StringWriter err2 = new StringWriter();
    line.setErr(new PrintWriter(err2, true));
    assertThat(line.execute("kubernetes", "--shards", "3", "--image", "x", "--results-dir", "s3://b/p", "--",
        "--url", "/", "--shard", "0/3")).isEqualTo(2);
    assertThat(err2.toString()).contains("--shard is set by stampede kubernetes itself");
  }
}
