package witness.solr;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.common.cloud.ClusterState;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.common.cloud.ZkStateReader;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Wraps MiniSolrCloudCluster. Node indexes are fixed at start-up (MiniSolrCloudCluster's own
 * list drops stopped nodes and re-appends restarted ones, so its indexes shift).
 */
final class ClusterHandle {
  private final WitnessSolrCluster.Options opts;
  private final Path baseDir;
  private MiniSolrCloudCluster cluster;
  private final List<JettySolrRunner> nodes = new ArrayList<>();
  private final List<String> nodeUrls = new ArrayList<>();
  private final List<String> nodeNames = new ArrayList<>();

  ClusterHandle(WitnessSolrCluster.Options opts, Path baseDir) {
    this.opts = opts;
    this.baseDir = baseDir;
  }

  void start() throws Exception {
    cluster =
        new MiniSolrCloudCluster.Builder(opts.nodes, baseDir)
            .addConfig(opts.configName, opts.configset)
            // port 0 = any free port; restarts reuse the node's first port
            .withJettyConfig(b -> b.setPort(0).setContext("/solr").stopAtShutdown(false))
            .build();

    for (JettySolrRunner j : cluster.getJettySolrRunners()) {
      nodes.add(j);
      nodeUrls.add(j.getBaseUrl().toString());
      nodeNames.add(j.getNodeName());
    }

    CollectionAdminRequest.createCollection(
            opts.collection, opts.configName, opts.shards, opts.replicas)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection(
        opts.collection,
        opts.timeoutSeconds,
        TimeUnit.SECONDS,
        opts.shards,
        opts.shards * opts.replicas);
  }

  String zkAddress() {
    return cluster.getZkServer().getZkAddress();
  }

  List<String> nodeUrls() {
    return new ArrayList<>(nodeUrls);
  }

  Json status() {
    ZkStateReader reader = cluster.getZkStateReader();
    ClusterState state = reader.getClusterState();
    Set<String> live = state.getLiveNodes();

    List<Json> nodeList = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      JettySolrRunner j = nodes.get(i);
      nodeList.add(
          Json.obj()
              .put("index", i)
              .put("url", nodeUrls.get(i))
              .put("nodeName", nodeNames.get(i))
              .put("running", j.isRunning())
              .put("live", live.contains(nodeNames.get(i))));
    }

    List<Json> replicas = new ArrayList<>();
    boolean healthy = true;
    DocCollection coll = state.getCollectionOrNull(opts.collection);
    if (coll == null) {
      healthy = false;
    } else {
      for (Slice s : coll.getSlices()) {
        Replica leader = s.getLeader();
        boolean shardOk = leader != null && leader.isActive(live);
        healthy &= shardOk;
        for (Replica r : s.getReplicas()) {
          boolean active = r.isActive(live);
          healthy &= active;
          replicas.add(
              Json.obj()
                  .put("shard", s.getName())
                  .put("replica", r.getName())
                  .put("core", r.getCoreName())
                  .put("node", nodeIndexOf(r.getNodeName()))
                  .put("state", active ? "active" : r.getState().toString().toLowerCase())
                  .put("leader", leader != null && leader.getName().equals(r.getName())));
        }
      }
    }
    return Json.obj()
        .put("zk", zkAddress())
        .put("collection", opts.collection)
        .put("healthy", healthy)
        .put("nodes", nodeList)
        .put("replicas", replicas);
  }

  private int nodeIndexOf(String nodeName) {
    return nodeNames.indexOf(nodeName);
  }

  /** Stops Jetty node i and waits until ZK has dropped it and every shard has a live leader. */
  Json stopNode(int i) throws Exception {
    JettySolrRunner j = nodes.get(i);
    Json res = Json.obj().put("node", i).put("url", nodeUrls.get(i));
    if (!j.isRunning()) {
      return res.put("ok", true).put("alreadyStopped", true);
    }
    long t0 = System.nanoTime();
    cluster.stopJettySolrRunner(j);
    String name = nodeNames.get(i);
    ZkStateReader reader = cluster.getZkStateReader();
    reader.waitForLiveNodes(
        opts.timeoutSeconds, TimeUnit.SECONDS, (oldNodes, newNodes) -> !newNodes.contains(name));
    boolean leaders = waitQuietly(this::everyShardHasLiveLeader);
    return res.put("ok", true)
        .put("leaders", leaders)
        .put("ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  /** Restarts Jetty node i on its old port and waits until all replicas are active again. */
  Json startNode(int i) throws Exception {
    JettySolrRunner j = nodes.get(i);
    Json res = Json.obj().put("node", i).put("url", nodeUrls.get(i));
    if (j.isRunning()) {
      return res.put("ok", true).put("alreadyRunning", true);
    }
    long t0 = System.nanoTime();
    cluster.startJettySolrRunner(j, true);
    cluster.waitForNode(j, opts.timeoutSeconds);
    boolean active =
        waitQuietly(
            MiniSolrCloudCluster.expectedShardsAndActiveReplicas(
                opts.shards, opts.shards * opts.replicas));
    String url = j.getBaseUrl().toString();
    if (!url.equals(nodeUrls.get(i))) {
      // should not happen with reusePort=true, but keep the reported URL truthful
      nodeUrls.set(i, url);
      nodeNames.set(i, j.getNodeName());
      res.put("url", url);
    }
    return res.put("ok", true)
        .put("active", active)
        .put("ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  private boolean everyShardHasLiveLeader(Set<String> live, DocCollection coll) {
    if (coll == null) return false;
    for (Slice s : coll.getSlices()) {
      Replica leader = s.getLeader();
      if (leader == null || !leader.isActive(live)) return false;
    }
    return true;
  }

  private boolean waitQuietly(org.apache.solr.common.cloud.CollectionStatePredicate p)
      throws InterruptedException {
    try {
      cluster
          .getZkStateReader()
          .waitForState(opts.collection, opts.timeoutSeconds, TimeUnit.SECONDS, p);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  void shutdown() throws Exception {
    if (cluster != null) cluster.shutdown();
  }
}
