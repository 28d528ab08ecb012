package dev.coffer.persistence;

import dev.coffer.cluster.EventCodec;
import dev.coffer.common.Invalidation;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries invalidation events between the nodes that share one PostgreSQL database, with
 * {@code NOTIFY} (sent through the pool; services publish after their change is committed, so
 * another node that reloads on the event reads the new state) and {@code LISTEN} on one connection
 * of its own. A node hears its own notifications too
 * and skips them by its id. After the listening connection was lost, notifications may have been
 * missed, so every reconnect makes all caches read everything again.
 */
public final class PostgresEventBus implements AutoCloseable {
    static final String CHANNEL = "coffer_invalidation";
    /** PostgreSQL refuses payloads of 8000 bytes or more; larger events are left to the resync. */
    private static final int MAX_PAYLOAD = 7900;

    private static final Logger LOG = LoggerFactory.getLogger(PostgresEventBus.class);

    private final Jdbc jdbc;
    private final String url;
    private final Properties props = new Properties();
    private final Invalidation invalidation;
    private final String node = UUID.randomUUID().toString().substring(0, 13);
    private final Thread listener;
    private volatile boolean running = true;
    private volatile Connection listening;

    public PostgresEventBus(Database database, String url, String user, String password, Invalidation invalidation) {
        this.jdbc = new Jdbc(database.dataSource());
        this.url = Objects.requireNonNull(url);
        if (user != null && !user.isEmpty()) {
            props.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        // the listener polls; a dead server must not hang it forever
        props.setProperty("connectTimeout", "5");
        props.setProperty("tcpKeepAlive", "true");
        this.invalidation = Objects.requireNonNull(invalidation);
        this.listener = new Thread(this::listen, "coffer-cluster-listen");
        listener.setDaemon(true);
    }

    /** Starts listening and forwarding this node's changes; returns once the first LISTEN is in place. */
    public PostgresEventBus start() {
        invalidation.forwardTo(this::send);
        try {
            listening = subscribe();
        } catch (SQLException e) {
            // the pool just worked, so this is rare; the listener thread keeps trying
            LOG.warn("could not listen for changes from other nodes yet: {}", e.getMessage());
        }
        listener.start();
        return this;
    }

    public String node() {
        return node;
    }

    private void send(Invalidation.Event event) {
        String payload = EventCodec.encode(node, event);
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD) {
            LOG.debug("change event too large to announce; other nodes pick it up at their next resync");
            return;
        }
        try {
            jdbc.query("SELECT pg_notify(?, ?)", rs -> null, CHANNEL, payload);
        } catch (RuntimeException e) {
            // the change itself is stored; other nodes see it at their next resync
            LOG.warn("could not announce a change to other nodes: {}", e.getMessage());
        }
    }

    private Connection subscribe() throws SQLException {
        Connection c = DriverManager.getConnection(url, props);
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + CHANNEL);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void listen() {
        long backoff = 250;
        boolean lost = false;
        while (running) {
            try {
                if (listening == null) {
                    listening = subscribe();
                }
                if (lost) {
                    // whatever was announced while we were away is lost: read everything again
                    invalidation.receive(new Invalidation.Everything());
                    LOG.info("listening for changes from other nodes again");
                    lost = false;
                }
                backoff = 250;
                PGNotification[] ns = listening.unwrap(PGConnection.class).getNotifications(500);
                if (ns == null) {
                    continue;
                }
                for (PGNotification n : ns) {
                    EventCodec.decode(n.getParameter()).ifPresent(m -> {
                        if (!m.node().equals(node)) {
                            invalidation.receive(m.event());
                        }
                    });
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!lost) {
                    LOG.warn("lost the connection that listens for changes from other nodes: {}", e.getMessage());
                }
                lost = true;
                closeQuietly();
                sleep(backoff);
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    private void closeQuietly() {
        Connection c = listening;
        listening = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        listener.interrupt();
        try {
            listener.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }
}
