package dev.coffer.bootstrap;

import dev.coffer.common.Clock;
import dev.coffer.config.Settings;
import dev.coffer.format.npm.NpmPackages;
import dev.coffer.http.AuditTrail;
import dev.coffer.http.ClientAddress;
import dev.coffer.http.LinkBase;
import dev.coffer.http.NpmRoutes;
import dev.coffer.http.Route;
import dev.coffer.remote.RemoteRepositories;
import dev.coffer.virtual.VirtualResolver;
import java.util.List;

/** The npm registry of local, remote and virtual npm repositories (API.md §10), made from the services it needs. */
final class NpmWiring {
    private NpmWiring() {}

    static List<Route> routes(
            Settings settings,
            Coffer.Services s,
            AuditTrail trail,
            RemoteRepositories remote,
            VirtualResolver virtuals) {
        NpmPackages packages = new NpmPackages(s.npm(), s.artifacts(), Clock.SYSTEM);
        LinkBase links = new LinkBase(settings.publicUrl(), ClientAddress.trusting(settings.trustedProxies()));
        return new NpmRoutes(
                        packages,
                        s.repositories(),
                        s.access(),
                        s.artifacts(),
                        links,
                        trail,
                        remote,
                        virtuals,
                        settings.npmDocumentMaxAge())
                .routes();
    }
}
