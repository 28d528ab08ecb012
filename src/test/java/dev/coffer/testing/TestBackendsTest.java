package dev.coffer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The test back-ends themselves: a real PostgreSQL cluster and a real s3proxy. */
final class TestBackendsTest {

    @Test
    void postgresGivesEachCallerAFreshDatabaseAndSurvivesARestart() throws SQLException {
        PostgresServer pg = PostgresServer.assumeAvailable();
        PostgresServer.Db a = pg.createDatabase("backends");
        PostgresServer.Db b = pg.createDatabase("backends");
        assertThat(a.url()).isNotEqualTo(b.url()).startsWith("jdbc:postgresql://127.0.0.1:" + pg.port() + "/");

        try (Connection c = DriverManager.getConnection(a.url(), a.user(), a.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (x INT)");
            st.execute("INSERT INTO t VALUES (42)");
        }
        pg.stop();
        try {
            assertThatThrownBy(() -> DriverManager.getConnection(a.url(), a.user(), a.password())
                            .close())
                    .isInstanceOf(SQLException.class);
        } finally {
            pg.start();
        }
        try (Connection c = DriverManager.getConnection(a.url(), a.user(), a.password());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT x FROM t")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void s3proxyCreatesBucketsAndStoresObjects() {
        S3ProxyServer s3 = S3ProxyServer.assumeAvailable();
        String bucket = s3.createBucket("backends");
        try (S3Client c = s3.client()) {
            c.putObject(b -> b.bucket(bucket).key("k"), software.amazon.awssdk.core.sync.RequestBody.fromString("v"));
            assertThat(c.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String())
                    .isEqualTo("v");
            assertThat(c.listBuckets().buckets())
                    .anySatisfy(x -> assertThat(x.name()).isEqualTo(bucket));
        }
    }
}
