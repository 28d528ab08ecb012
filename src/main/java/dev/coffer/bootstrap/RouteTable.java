package dev.coffer.bootstrap;

import dev.coffer.audit.AuditLog;
import dev.coffer.config.Settings;
import dev.coffer.credential.Authenticator;
import dev.coffer.http.AccessCheckRoutes;
import dev.coffer.http.AccountRoutes;
import dev.coffer.http.AuditRoutes;
import dev.coffer.http.AuditTrail;
import dev.coffer.http.BuildRoutes;
import dev.coffer.http.ClientAddress;
import dev.coffer.http.ContentRoutes;
import dev.coffer.http.CredentialRoutes;
import dev.coffer.http.IdentityRoutes;
import dev.coffer.http.LinkBase;
import dev.coffer.http.MetricsRoutes;
import dev.coffer.http.NpmAccountRoutes;
import dev.coffer.http.PermissionRoutes;
import dev.coffer.http.RemoteCacheRoutes;
import dev.coffer.http.RepositoryRoutes;
import dev.coffer.http.Route;
import dev.coffer.http.StorageRoutes;
import dev.coffer.http.SystemRoutes;
import dev.coffer.ops.Metrics;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.virtual.VirtualResolver;
import dev.coffer.web.WebRoutes;
import java.util.ArrayList;
import java.util.List;

/** Every route of the server, each slice's routes made from the services it needs. */
final class RouteTable {
    private RouteTable() {}

    static List<Route> routes(
            Settings settings,
            Coffer.Services s,
            Authenticator authenticator,
            AuditLog audit,
            AuditTrail trail,
            RemoteRepositories remote,
            VirtualResolver virtuals) {
        List<Route> routes = new ArrayList<>();
        routes.addAll(new SystemRoutes(() -> healthy(s)).routes());
        routes.addAll(new ContentRoutes(
                        s.artifacts(), s.repositories(), s.access(), settings.maxUploadBytes(), trail, remote, virtuals)
                .routes());
        routes.addAll(new StorageRoutes(s.artifacts(), s.repositories(), s.access(), trail, virtuals).routes());
        routes.addAll(new BuildRoutes(
                        s.artifacts(),
                        s.access(),
                        new LinkBase(settings.publicUrl(), ClientAddress.trusting(settings.trustedProxies())))
                .routes());
        routes.addAll(new RepositoryRoutes(s.repositories(), s.artifacts(), s.access(), settings.maxJsonBytes(), trail)
                .routes());
        routes.addAll(new RemoteCacheRoutes(s.repositories(), s.artifacts(), s.access(), remote, trail).routes());
        routes.addAll(new IdentityRoutes(s.users(), settings.maxJsonBytes(), trail).routes());
        routes.addAll(new PermissionRoutes(s.permissions(), settings.maxJsonBytes(), trail).routes());
        routes.addAll(new CredentialRoutes(
                        authenticator, s.credentials(), s.users(), s.issuing(), settings.maxJsonBytes(), trail)
                .routes());
        routes.addAll(new NpmAccountRoutes(
                        authenticator, s.credentials(), s.users(), s.issuing(), settings.maxJsonBytes(), trail)
                .routes());
        routes.addAll(new AccessCheckRoutes(s.access(), s.users(), s.repositories(), virtuals, trail).routes());
        routes.addAll(new AuditRoutes(audit).routes());
        routes.addAll(new MetricsRoutes(s.metrics()::scrape, Metrics.CONTENT_TYPE).routes());
        routes.addAll(new AccountRoutes(authenticator, s.users(), settings.maxJsonBytes(), trail).routes());
        routes.addAll(NpmWiring.routes(settings, s, trail, remote, virtuals));
        routes.addAll(new WebRoutes().routes());
        return routes;
    }

    /** The health check: the database answers and the blob store can be asked. */
    private static boolean healthy(Coffer.Services s) {
        try (var c = s.database().dataSource().getConnection();
                var st = c.createStatement()) {
            st.execute("SELECT 1");
            s.blobs().exists("0".repeat(64));
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
