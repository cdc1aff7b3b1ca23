package dptrain.deploy.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.cluster.WorkerCommand;
import dptrain.deploy.train.CoordinatorCommand;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The Kubernetes manifests in deploy/cluster/kubernetes checked on the client side: each
 * StatefulSet's selector, service and volumes fit together; every pod's command line, with its
 * name filled in, is one dptrain's commands accept, naming its own TLS folder, its DNS name as
 * --host and the coordinator's pods as seeds; the example hosts file names exactly those pods at
 * those addresses; every document is a kind at its API version with the fields it needs.
 * (kubectl's client-side dry run still asks a server for the API's kinds, so it cannot run here.)
 */
class KubernetesManifestsTest {
  private static final Path DIR = Path.of("cluster/kubernetes").toAbsolutePath();

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> documents() throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(DIR.resolve("dptrain.yaml"))) {
      for (Object doc : new Yaml().loadAll(reader)) {
        docs.add((Map<String, Object>) doc);
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object node, String... path) {
    Object value = node;
    for (String key : path) {
      value = ((Map<String, Object>) value).get(key);
    }
    return (T) value;
  }

  private static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  @Test
  void eachStatefulSetSelectsItsPodsThroughTheHeadlessServiceWithItsVolumesDeclared() throws Exception {
    var docs = documents();
    var services = ofKind(docs, "Service");
    var claims = ofKind(docs, "PersistentVolumeClaim").stream().map(c -> (String) at(c, "metadata", "name")).toList();
    assertThat(ofKind(docs, "StatefulSet")).extracting(s -> (String) at(s, "metadata", "name"))
        .containsExactly("dptrain-coordinator", "dptrain-standby", "dptrain-worker");
    for (var set : ofKind(docs, "StatefulSet")) {
      Map<String, Object> labels = at(set, "spec", "template", "metadata", "labels");
      Map<String, Object> selector = at(set, "spec", "selector", "matchLabels");
      assertThat(labels).containsAllEntriesOf(selector);
      var service = services.stream().filter(s -> at(s, "metadata", "name").equals(at(set, "spec", "serviceName"))).findFirst();
      assertThat(service).as("the service of " + at(set, "metadata", "name")).isPresent();
      assertThat((String) at(service.get(), "spec", "clusterIP")).isEqualTo("None");
      assertThat(labels).containsAllEntriesOf(at(service.get(), "spec", "selector"));
      List<Map<String, Object>> volumes = at(set, "spec", "template", "spec", "volumes");
      Set<String> declared = volumes.stream().map(v -> (String) v.get("name")).collect(Collectors.toSet());
      for (var volume : volumes) {
        if (volume.containsKey("persistentVolumeClaim")) {
          assertThat(claims).contains((String) at(volume, "persistentVolumeClaim", "claimName"));
        }
      }
      for (var mount : (List<Map<String, Object>>) at(container(set), "volumeMounts")) {
        assertThat(declared).contains((String) mount.get("name"));
      }
    }
  }

  private static Map<String, Object> container(Map<String, Object> set) {
    List<Map<String, Object>> containers = at(set, "spec", "template", "spec", "containers");
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  /** Every pod of every StatefulSet: its name and its command line with the name filled in. */
  private static Map<String, List<String>> pods(List<Map<String, Object>> docs) {
    Map<String, List<String>> pods = new java.util.LinkedHashMap<>();
    for (var set : ofKind(docs, "StatefulSet")) {
      List<String> args = at(container(set), "args");
      int replicas = at(set, "spec", "replicas");
      for (int i = 0; i < replicas; i++) {
        String pod = at(set, "metadata", "name") + "-" + i;
        pods.put(pod, args.stream().map(a -> a.replace("$(POD_NAME)", pod)).toList());
      }
    }
    return pods;
  }

  @Test
  void everyPodsCommandLineIsAcceptedAndNamesItsOwnAddressFolderAndSeeds() throws Exception {
    var docs = documents();
    List<Host> hosts = HostsFile.read(DIR.resolve("hosts.txt"));
    var pods = pods(docs);
    assertThat(hosts).extracting(Host::name).containsExactlyInAnyOrderElementsOf(pods.keySet());
    Host coordinator = hosts.stream().filter(h -> h.has(HostRole.COORDINATOR)).findFirst().orElseThrow();
    Host standby = hosts.stream().filter(h -> h.has(HostRole.STANDBY)).findFirst().orElseThrow();
    List<Host> workers = hosts.stream().filter(h -> h.has(HostRole.WORKER)).toList();
    Set<String> certFolders = new HashSet<>();
    for (var set : ofKind(docs, "StatefulSet")) {
      List<Map<String, Object>> volumes = at(set, "spec", "template", "spec", "volumes");
      List<Map<String, Object>> sources = at(volumes.get(0), "projected", "sources");
      for (var source : sources) {
        for (var item : (List<Map<String, Object>>) at(source, "secret", "items")) {
          certFolders.add(((String) item.get("path")).split("/")[0]);
        }
      }
    }
    for (var pod : pods.entrySet()) {
      Host host = hosts.stream().filter(h -> h.name().equals(pod.getKey())).findFirst().orElseThrow();
      List<String> args = pod.getValue();
      Object command = args.get(0).equals("worker") ? new WorkerCommand() : new CoordinatorCommand();
      var parsed = new CommandLine(command).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
      assertThat((String) parsed.matchedOptionValue("--host", "")).isEqualTo(host.address());
      assertThat((int) parsed.matchedOptionValue("--port", 0)).isEqualTo(host.port());
      assertThat(parsed.matchedOptionValue("--tls", Path.of(""))).isEqualTo(Path.of("/certs/" + host.name()));
      assertThat(certFolders).contains(host.name());
      List<String> seeds = parsed.matchedOptionValue("--seed-nodes", List.<String>of());
      if (host.has(HostRole.WORKER)) {
        assertThat(seeds).containsExactly(akka(coordinator), akka(standby));
        assertThat((int) parsed.matchedOptionValue("--workers-per-node", 1)).isEqualTo(host.slots());
      } else if (host.has(HostRole.STANDBY)) {
        assertThat(seeds).containsExactly(akka(coordinator));
      } else {
        assertThat((int) parsed.matchedOptionValue("--workers", 0)).isEqualTo(workers.size());
        List<String> expected = parsed.matchedOptionValue("--expect-workers", List.<String>of());
        assertThat(expected).containsExactlyElementsOf(workers.stream().map(w -> w.address() + ":" + w.port()).toList());
      }
    }
  }

  private static String akka(Host host) {
    return "akka://dptrain@" + host.address() + ":" + host.port();
  }

  @Test
  void everyDocumentIsAKindAtTheApiVersionKubernetesServesItWithTheFieldsItRequires() throws Exception {
    Map<String, String> versions = Map.of("Namespace", "v1", "Service", "v1", "PersistentVolumeClaim", "v1", "StatefulSet",
        "apps/v1");
    for (var doc : documents()) {
      String kind = (String) doc.get("kind");
      assertThat(versions).as("a kind this check knows").containsKey(kind);
      assertThat(doc.get("apiVersion")).as(kind).isEqualTo(versions.get(kind));
      assertThat((String) at(doc, "metadata", "name")).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
      if (!kind.equals("Namespace")) {
        assertThat((String) at(doc, "metadata", "namespace")).isEqualTo("dptrain");
      }
      if (kind.equals("StatefulSet")) {
        var container = container(doc);
        assertThat(container).containsKeys("name", "image", "args");
        List<Map<String, Object>> ports = at(container, "ports");
        assertThat(ports).singleElement().satisfies(p -> assertThat(p.get("containerPort")).isEqualTo(25520));
        assertThat((int) at(doc, "spec", "replicas")).isPositive();
      }
    }
  }
}
