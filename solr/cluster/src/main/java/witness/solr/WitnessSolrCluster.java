package witness.solr;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Starts a local SolrCloud (embedded ZooKeeper + N Jetty Solr nodes on 127.0.0.1) with the Solr
 * test framework's MiniSolrCloudCluster, creates the Witness collection, prints one JSON "ready"
 * line on stdout and then serves a line-based command protocol on stdin (see solr/README.md).
 *
 * <p>Nothing Solr-related is referenced from this class's static initialisation: logging and
 * system properties must be configured before the first Solr/Log4j class is loaded, so all
 * Solr work lives in {@link Runner}.
 */
public final class WitnessSolrCluster {

  private WitnessSolrCluster() {}

  /** Parsed command-line options. */
  static final class Options {
    int nodes = 2;
    Path dir;
    boolean keepDir;
    boolean cleanDir;
    boolean ignoreStdinEof;
    Path configset;
    String configName = "witness";
    String collection = "witness";
    int shards = 2;
    int replicas = 2;
    Path portFile;
    String logLevel = "WARN";
    Path logFile;
    int timeoutSeconds = 120;
  }

  public static void main(String[] args) {
    // Keep stdout exclusively for the JSON protocol; anything else that writes to System.out
    // (Solr, ZooKeeper, Jetty) ends up on stderr.
    PrintStream protocolOut =
        new PrintStream(new FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);

    Options opts;
    try {
      opts = parseArgs(args);
    } catch (IllegalArgumentException e) {
      System.err.println("witness-solr-cluster: " + e.getMessage());
      System.err.println(usage());
      protocolOut.println(Json.obj().put("ready", false).put("error", e.getMessage()));
      System.exit(2);
      return;
    }

    configureSystemProperties(opts);

    Runner runner = new Runner(opts, protocolOut);
    int rc = runner.run();
    System.exit(rc);
  }

  static String usage() {
    return String.join(
        "\n",
        "usage: java -jar witness-solr-cluster.jar [options]",
        "  --nodes N            number of Solr (Jetty) nodes, default 2",
        "  --dir PATH           base dir (ZK data + node homes); default: a fresh temp dir, deleted on exit",
        "  --keep-dir           do not delete the base dir on exit (implied when --dir is given)",
        "  --clean              wipe a non-empty --dir first (MiniSolrCloudCluster cannot reuse one)",
        "  --configset PATH     configset conf/ dir; default: solr/configset/witness/conf next to the jar",
        "  --config-name NAME   name of the configset in ZooKeeper, default witness",
        "  --collection NAME    collection to create, default witness",
        "  --shards N           default 2",
        "  --replicas N         NRT replicas per shard, default 2",
        "  --ignore-stdin-eof   keep running when stdin closes (stop with SIGTERM); for manual use",
        "  --port-file FILE     also write the ready JSON line to FILE (atomically)",
        "  --log-level LEVEL    log4j2 level for Solr/ZK/Jetty logs (stderr), default WARN",
        "  --log-file FILE      send logs to FILE instead of stderr",
        "  --timeout SECONDS    start-up / recovery wait timeout, default 120");
  }

  static Options parseArgs(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        v = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      switch (a) {
        case "--help":
        case "-h":
          System.err.println(usage());
          System.exit(0);
          break;
        case "--keep-dir":
          o.keepDir = true;
          break;
        case "--clean":
          o.cleanDir = true;
          break;
        case "--ignore-stdin-eof":
          o.ignoreStdinEof = true;
          break;
        default:
          if (v == null) {
            if (i + 1 >= args.length) throw new IllegalArgumentException("missing value for " + a);
            v = args[++i];
          }
          switch (a) {
            case "--nodes":
              o.nodes = positiveInt(a, v);
              break;
            case "--dir":
              o.dir = Paths.get(v).toAbsolutePath();
              o.keepDir = true;
              break;
            case "--configset":
              o.configset = Paths.get(v).toAbsolutePath();
              break;
            case "--config-name":
              o.configName = v;
              break;
            case "--collection":
              o.collection = v;
              break;
            case "--shards":
              o.shards = positiveInt(a, v);
              break;
            case "--replicas":
              o.replicas = positiveInt(a, v);
              break;
            case "--port-file":
              o.portFile = Paths.get(v).toAbsolutePath();
              break;
            case "--log-level":
              o.logLevel = v.toUpperCase(java.util.Locale.ROOT);
              break;
            case "--log-file":
              o.logFile = Paths.get(v).toAbsolutePath();
              break;
            case "--timeout":
              o.timeoutSeconds = positiveInt(a, v);
              break;
            default:
              throw new IllegalArgumentException("unknown option " + a);
          }
      }
    }
    if (o.configset == null) o.configset = defaultConfigset();
    if (!Files.isRegularFile(o.configset.resolve("solrconfig.xml"))) {
      throw new IllegalArgumentException("no solrconfig.xml in configset dir " + o.configset);
    }
    return o;
  }

  private static int positiveInt(String name, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n < 1) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a positive integer, got '" + v + "'");
    }
  }

  /** solr/configset/witness/conf, found relative to the jar (solr/cluster/target/x.jar) or cwd. */
  private static Path defaultConfigset() {
    List<Path> candidates = new ArrayList<>();
    try {
      Path jar =
          Paths.get(
              WitnessSolrCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // .../solr/cluster/target/witness-solr-cluster.jar (or .../target/classes)
      Path p = jar;
      for (int up = 0; up < 4 && p != null; up++) {
        p = p.getParent();
        if (p != null) candidates.add(p.resolve("configset/witness/conf"));
      }
    } catch (URISyntaxException | SecurityException | NullPointerException ignored) {
      // fall through to cwd-based guesses
    }
    Path cwd = Paths.get("").toAbsolutePath();
    candidates.add(cwd.resolve("solr/configset/witness/conf"));
    candidates.add(cwd.resolve("configset/witness/conf"));
    candidates.add(cwd.resolve("../configset/witness/conf").normalize());
    for (Path c : candidates) {
      if (Files.isRegularFile(c.resolve("solrconfig.xml"))) return c.normalize();
    }
    return candidates.get(candidates.size() - 3);
  }

  /**
   * System properties set before any Solr, ZooKeeper or Log4j class is loaded. None of them is
   * required for MiniSolrCloudCluster to work outside JUnit (it runs with no properties at all);
   * they only keep the logs quiet and stdout clean. Any of them can be overridden with -D.
   */
  static void configureSystemProperties(Options o) {
    // Logging: our own log4j2 config (quiet, stderr or file). Overrides any log4j2 config that a
    // test jar on the classpath might carry.
    setIfAbsent("log4j2.configurationFile", "classpath:witness-solr-log4j2.xml");
    setIfAbsent("witness.solr.logLevel", o.logLevel);
    if (o.logFile != null) {
      setIfAbsent("witness.solr.logFile", o.logFile.toString());
      setIfAbsent("witness.solr.logAppender", "File");
    } else {
      setIfAbsent(
          "witness.solr.logFile",
          Paths.get(System.getProperty("java.io.tmpdir"), "witness-solr.log").toString());
      setIfAbsent("witness.solr.logAppender", "Stderr");
    }
    // Solr's startup check logs an ERROR when solr.log.dir is unset (it is only informational).
    setIfAbsent(
        "solr.log.dir",
        o.logFile != null && o.logFile.getParent() != null
            ? o.logFile.getParent().toString()
            : System.getProperty("java.io.tmpdir"));
    // Jersey (Solr's V2 API) logs through java.util.logging; keep it to SEVERE.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    // No shutdown hook inside log4j: we log during our own shutdown hook.
    setIfAbsent("log4j2.shutdownHookEnabled", "false");
    // ZkTestServer polls the embedded ZK with the 4-letter "stat"/"ruok" commands; enabling them
    // up front avoids an ERROR-level "temporarily manipulating your whitelist" log line.
    setIfAbsent("zookeeper.4lw.commands.whitelist", "*");
    // ZkController uploads a "_default" configset on first start if it can find one; outside a
    // Solr install there is none (it would only log a warning), so point it at ours.
    setIfAbsent("solr.default.confdir", o.configset.toString());
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) System.setProperty(key, value);
  }

  // ---------------------------------------------------------------------------------------------

  /** Holds the running cluster and implements the stdin protocol. */
  static final class Runner {
    private final Options opts;
    private final PrintStream out;
    private final AtomicBoolean shutDown = new AtomicBoolean(false);
    private final Object outLock = new Object();
    private Path baseDir;
    private boolean deleteBaseDir;
    private ClusterHandle cluster;

    Runner(Options opts, PrintStream out) {
      this.opts = opts;
      this.out = out;
    }

    int run() {
      long t0 = System.nanoTime();
      try {
        if (opts.dir != null) {
          baseDir = opts.dir;
          if (!isEmptyDir(baseDir)) {
            if (!opts.cleanDir) {
              throw new IllegalArgumentException(
                  "--dir " + baseDir + " is not empty (MiniSolrCloudCluster always starts from"
                      + " scratch); pass --clean to wipe it");
            }
            deleteRecursively(baseDir);
          }
          Files.createDirectories(baseDir);
          deleteBaseDir = false;
        } else {
          baseDir = Files.createTempDirectory("witness-solr-");
          deleteBaseDir = !opts.keepDir;
        }
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> shutdownQuietly("signal"), "witness-solr-shutdown"));

        cluster = new ClusterHandle(opts, baseDir);
        cluster.start();
      } catch (Throwable e) {
        e.printStackTrace(System.err);
        emit(Json.obj().put("ready", false).put("error", String.valueOf(e)));
        shutdownQuietly("startup-failure");
        return 1;
      }

      long startupMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      Json ready =
          Json.obj()
              .put("ready", true)
              .put("zk", cluster.zkAddress())
              .put("nodes", cluster.nodeUrls())
              .put("collection", opts.collection)
              .put("configName", opts.configName)
              .put("shards", opts.shards)
              .put("replicas", opts.replicas)
              .put("baseDir", baseDir.toString())
              .put("pid", ProcessHandle.current().pid())
              .put("startupMs", startupMs);
      if (opts.portFile != null) {
        try {
          writeAtomically(opts.portFile, ready.toString() + "\n");
        } catch (IOException e) {
          System.err.println("could not write --port-file: " + e);
        }
      }
      emit(ready);

      return commandLoop();
    }

    private int commandLoop() {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          line = line.trim();
          if (line.isEmpty()) continue;
          String[] parts = line.split("\\s+");
          String cmd = parts[0];
          try {
            switch (cmd) {
              case "status":
                emit(cluster.status().put("ok", true).put("cmd", "status"));
                break;
              case "stop-node":
                emit(cluster.stopNode(nodeIndex(parts)).put("cmd", "stop-node"));
                break;
              case "start-node":
                emit(cluster.startNode(nodeIndex(parts)).put("cmd", "start-node"));
                break;
              case "shutdown":
              case "exit":
              case "quit":
                shutdownQuietly("command");
                emit(Json.obj().put("ok", true).put("cmd", "shutdown"));
                return 0;
              case "ping":
                emit(Json.obj().put("ok", true).put("cmd", "ping"));
                break;
              default:
                emit(
                    Json.obj()
                        .put("ok", false)
                        .put("cmd", cmd)
                        .put(
                            "error",
                            "unknown command; use status | stop-node <i> | start-node <i> | shutdown"));
            }
          } catch (IllegalArgumentException e) {
            emit(Json.obj().put("ok", false).put("cmd", cmd).put("error", e.getMessage()));
          } catch (Exception e) {
            e.printStackTrace(System.err);
            emit(Json.obj().put("ok", false).put("cmd", cmd).put("error", String.valueOf(e)));
          }
        }
      } catch (IOException e) {
        System.err.println("stdin error: " + e);
      }
      if (opts.ignoreStdinEof) {
        System.err.println("witness-solr-cluster: stdin closed; running until SIGTERM");
        try {
          Thread.currentThread().join(); // the shutdown hook does the work on SIGTERM/SIGINT
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      // EOF on stdin: the parent went away (or closed the pipe). Never leave Solr running.
      shutdownQuietly("stdin-eof");
      return 0;
    }

    private int nodeIndex(String[] parts) {
      if (parts.length < 2) throw new IllegalArgumentException("missing node index");
      int i;
      try {
        i = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("node index must be an integer: " + parts[1]);
      }
      if (i < 0 || i >= opts.nodes) {
        throw new IllegalArgumentException("node index out of range 0.." + (opts.nodes - 1));
      }
      return i;
    }

    private void emit(Json j) {
      synchronized (outLock) {
        out.println(j.toString());
        out.flush();
      }
    }

    private void shutdownQuietly(String why) {
      if (!shutDown.compareAndSet(false, true)) return;
      System.err.println("witness-solr-cluster: shutting down (" + why + ")");
      if (cluster != null) {
        try {
          cluster.shutdown();
        } catch (Throwable e) {
          System.err.println("error during cluster shutdown: " + e);
        }
      }
      if (deleteBaseDir && baseDir != null) deleteRecursively(baseDir);
      if (opts.portFile != null) {
        try {
          Files.deleteIfExists(opts.portFile);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  static boolean isEmptyDir(Path dir) throws IOException {
    if (!Files.exists(dir)) return true;
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is not a directory");
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  static void writeAtomically(Path file, String content) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, ".witness-solr-", ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) return;
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // best effort
                }
              });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
