import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Neo4j 5 Community embedded in a JVM of its own, reachable over Bolt on 127.0.0.1 only.
 *
 * <pre>
 *   java -Xmx3g -cp 'target/classes:target/lib/*' KgNeo4j NEO4J_HOME BOLT_PORT [PAGE_CACHE]
 * </pre>
 *
 * NEO4J_HOME is $KG_HOME/neo4j: the store (data/), Neo4j's own logs (logs/debug.log) and the
 * password file live there. PAGE_CACHE (e.g. "2g") defaults to $KG_NEO4J_PAGECACHE, else 2g; the
 * heap is the JVM's (-Xmx, set by graph/embedded/manager.py from $KG_NEO4J_HEAP, default 3g).
 *
 * <p>Authentication is enabled. The password of the user "neo4j" is kept in NEO4J_HOME/password
 * (mode 0600), which is authoritative: it is generated on the first start and (re)applied through
 * the system database on every start with {@code ALTER USER neo4j SET PASSWORD ... CHANGE NOT
 * REQUIRED} - the embedded API runs with full privileges, so no old password is needed. When the
 * system database does not exist yet (first start, or a wiped store) the password is set during a
 * first pass with Bolt disabled, so the default neo4j/neo4j login is never reachable over the
 * network.
 *
 * <p>Lines on stdout containing "KgNeo4j " are read by manager.py; "KgNeo4j ready:" means Bolt
 * accepts connections with the password from the file. SIGTERM (or SIGINT) shuts the store down
 * cleanly through a shutdown hook, so the next start needs no recovery.
 */
public final class KgNeo4j {
    static final String USER = "neo4j";
    static final String DEFAULT_PAGE_CACHE = "2g";

    /** Set by the shutdown hook (SIGTERM, SIGINT); then the hook owns the shutdown. */
    private static final AtomicBoolean stopping = new AtomicBoolean(false);

    private static final CountDownLatch stopped = new CountDownLatch(1);

    /** The DBMS the shutdown hook must shut down, if any. */
    private static final AtomicReference<DatabaseManagementService> running =
            new AtomicReference<>();

    /** Held while a DBMS is built, so that the shutdown hook waits for it. */
    private static final Object lifecycle = new Object();

    private KgNeo4j() {}

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: KgNeo4j NEO4J_HOME BOLT_PORT [PAGE_CACHE]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        int port;
        try {
            port = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            System.err.println("KgNeo4j failed: BOLT_PORT must be a number, not " + args[1]);
            System.exit(2);
            return;
        }
        String pageCache = args.length == 3 ? args[2] : env("KG_NEO4J_PAGECACHE", DEFAULT_PAGE_CACHE);

        try {
            run(home, port, pageCache);
        } catch (Throwable t) {
            if (stopping.get()) {
                return; // interrupted by the signal: the shutdown hook shuts down cleanly
            }
            log("failed: " + describe(t));
            t.printStackTrace(System.out);
            System.out.flush();
            // halt, not exit: a half-started DBMS may hold non-daemon threads.
            Runtime.getRuntime().halt(1);
        }
    }

    private static void run(Path home, int port, String pageCache) throws Exception {
        Files.createDirectories(home);
        Path passwordFile = home.resolve("password");
        long started = System.nanoTime();
        log("starting Neo4j 5 (home " + home + ", bolt 127.0.0.1:" + port + ", page cache "
                + pageCache + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)");

        // SIGTERM/SIGINT at any time: shut down whichever DBMS is up (waiting for one being
        // built), so the store stays clean.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            log("stopping (signal received)");
            try {
                DatabaseManagementService dbms;
                synchronized (lifecycle) {
                    dbms = running.getAndSet(null);
                }
                if (dbms != null) {
                    dbms.shutdown();
                }
                log("stopped cleanly");
            } catch (Throwable t) {
                log("failed to stop cleanly: " + describe(t));
            } finally {
                stopped.countDown();
            }
        }, "kg-neo4j-shutdown"));

        String password = Files.exists(passwordFile) ? readPassword(passwordFile) : null;
        boolean systemDbExists = Files.isDirectory(home.resolve("data/databases/system"));
        if (password == null || !systemDbExists) {
            // First pass without Bolt: set the password before anything can connect.
            if (password == null) {
                password = newPassword();
            }
            log("setting the password of user " + USER + " (Bolt disabled meanwhile)");
            DatabaseManagementService setup = open(home, port, pageCache, false);
            if (setup == null) {
                return;
            }
            try {
                setPassword(setup, password);
            } finally {
                if (running.compareAndSet(setup, null)) {
                    setup.shutdown();
                }
            }
            writePassword(passwordFile, password);
        }

        DatabaseManagementService service = open(home, port, pageCache, true);
        if (service == null) {
            return;
        }
        if (systemDbExists) {
            // The file is authoritative: re-apply it in case the user's password was changed.
            setPassword(service, password);
        }
        // Force the default database up before announcing readiness.
        service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME)
                .executeTransactionally("RETURN 1");
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        log("ready: bolt://127.0.0.1:" + port + " in " + millis + " ms (pid "
                + ProcessHandle.current().pid() + ")");
        stopped.await();
    }

    /** Builds and registers a DBMS for the shutdown hook; null if a signal came first. */
    private static DatabaseManagementService open(
            Path home, int port, String pageCache, boolean bolt) {
        synchronized (lifecycle) {
            if (stopping.get()) {
                return null;
            }
            DatabaseManagementService dbms = build(home, port, pageCache, bolt);
            running.set(dbms);
            return dbms;
        }
    }

    private static DatabaseManagementService build(
            Path home, int port, String pageCache, boolean bolt) {
        long heap = Runtime.getRuntime().maxMemory();
        return new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                // Cap transaction memory below the heap so that a runaway query fails with a
                // MemoryLimitExceeded error instead of taking the JVM down with an OOM error.
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, heap * 6 / 10)
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, heap * 4 / 10)
                // Transaction logs: keep little history, this is a local, rebuildable store.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1G size")
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // No anonymous usage data reporting (dbms.usage_report.enabled).
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(BoltConnector.enabled, bolt)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(BoltConnector.server_bolt_telemetry_enabled, false)
                // Bolt otherwise waits 5 s + 5 s on shutdown even with no connection left; the
                // stores are already checkpointed and closed by then.
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time,
                        Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time,
                        Duration.ofSeconds(1))
                .build();
    }

    private static void setPassword(DatabaseManagementService service, String password) {
        GraphDatabaseService system = service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        try {
            system.executeTransactionally(
                    "ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one it already has: nothing to do.
            if (!String.valueOf(describe(e)).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String readPassword(Path file) throws IOException {
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        return password.isEmpty() ? null : password;
    }

    /** Writes the password atomically, readable by the owner only (0600). */
    private static void writePassword(Path file, String password) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, password + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static String describe(Throwable t) {
        StringBuilder text = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
            if (c.getCause() == c) {
                break;
            }
        }
        return text.toString();
    }

    private static void log(String message) {
        System.out.println(java.time.OffsetDateTime.now() + " KgNeo4j " + message);
        System.out.flush();
    }
}
