package dev.coffer.format.npm;

import dev.coffer.artifact.ArtifactService;
import dev.coffer.common.ArtifactPath;
import dev.coffer.common.Clock;
import dev.coffer.common.CofferException;
import dev.coffer.common.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The writes of an npm repository: publish, dist-tags, and unpublish. Each is all or nothing: the
 * rows of one change commit in one transaction, a publish's tarball in the same one. Rights were
 * decided by admission on the package path; what is decided here again, on each tarball written
 * or removed, comes in as a predicate from the route (the same decision, never a rule of npm's).
 */
public final class NpmPackages {
    private final NpmStore store;
    private final ArtifactService artifacts;
    private final Clock clock;

    public NpmPackages(NpmStore store, ArtifactService artifacts, Clock clock) {
        this.store = Objects.requireNonNull(store);
        this.artifacts = Objects.requireNonNull(artifacts);
        this.clock = Objects.requireNonNull(clock);
    }

    public Optional<NpmPackage> find(String repo, String name) {
        return store.find(repo, name);
    }

    public NpmPackage require(String repo, String name) {
        return store.find(repo, name)
                .orElseThrow(() ->
                        CofferException.notFound("there is no package " + name + " in npm repository '" + repo + "'"));
    }

    public java.util.Optional<NpmStore.Stamp> stamp(String repo, String name) {
        return store.stamp(repo, name);
    }

    public List<String> names(String repo) {
        return store.names(repo);
    }

    /** Publishes one version with its tarball, manifest and dist-tags, or nothing (409 version_exists). */
    public void publish(String repo, Publication p, String username) {
        Optional<NpmPackage> current = store.find(repo, p.name());
        if (current.isPresent() && current.get().versions().containsKey(p.version())) {
            throw exists(p);
        }
        String file = NpmNames.tarballFile(p.name(), p.version());
        ArtifactPath tarball = NpmNames.tarballPath(p.name(), file);
        long now = clock.millis();
        Runnable rows = () -> {
            store.touch(repo, p.name(), p.description(), p.readme(), now);
            if (!store.addVersion(
                    repo,
                    p.name(),
                    new NpmPackage.Version(
                            p.version(), Packument.text(p.manifest()), tarball.toString(), now, username))) {
                throw exists(p); // another node published it a moment ago: the tarball goes back too
            }
            Map<String, String> tags = p.distTags();
            if (tags.isEmpty()
                    && (current.isEmpty() || !current.get().distTags().containsKey("latest"))) {
                tags = Map.of("latest", p.version());
            }
            tags.forEach((tag, v) -> store.setTag(repo, p.name(), tag, v));
        };
        try (InputStream bytes = Files.newInputStream(p.tarball().file())) {
            // the rows are written in the tarball's placement transaction, under its locks (blob,
            // then path): the order every upload takes, so no lock cycle with other uploads
            artifacts.upload(
                    new ArtifactService.Upload(
                            repo,
                            tarball,
                            bytes,
                            new ArtifactService.Expected(null, p.tarball().sha1(), null),
                            Map.of(),
                            false,
                            username,
                            -1),
                    rows);
        } catch (CofferException e) {
            // a tarball left by a version that is gone still names that version
            throw e.failure().code().equals("overwrite_denied") ? exists(p) : e;
        } catch (IOException e) {
            throw CofferException.unavailable("the published tarball could not be read back", e);
        }
    }

    private static CofferException exists(Publication p) {
        return CofferException.conflict(
                "version_exists",
                "cannot publish over the previously published version " + p.version() + " of " + p.name());
    }

    /** Points {@code tag} at an existing version; the version before, or null. */
    public String setTag(String repo, String name, String tag, String version) {
        NpmPackage p = require(repo, name);
        if (!p.versions().containsKey(version)) {
            throw CofferException.notFound("there is no version " + version + " of " + name + " to tag");
        }
        return store.inTransaction(() -> {
            guard(store.touchIf(repo, name, p.revision(), clock.millis()), p);
            store.setTag(repo, name, tag, version);
            return p.distTags().get(tag);
        });
    }

    /** Removes a tag; the version it named. 'latest' stays (npm needs it to install). */
    public String removeTag(String repo, String name, String tag) {
        if (tag.equals("latest")) {
            throw CofferException.invalid("tag_invalid", "the 'latest' dist-tag cannot be removed; point it elsewhere");
        }
        NpmPackage p = require(repo, name);
        String was = p.distTags().get(tag);
        if (was == null) {
            throw CofferException.notFound("package " + name + " has no dist-tag '" + tag + "'");
        }
        store.inTransaction(() -> {
            guard(store.touchIf(repo, name, p.revision(), clock.millis()), p);
            store.removeTag(repo, name, tag);
            return null;
        });
        return was;
    }

    /**
     * Applies a change read from a whole document ({@link DocumentChange}): deprecations, and
     * versions removed with the tags that named them. Tarballs of removed versions go after the
     * rows (a tarball without a version is unreachable; a version without its tarball is not).
     */
    public void apply(String repo, NpmPackage p, DocumentChange c, Predicate<ArtifactPath> mayDelete) {
        List<ArtifactPath> tarballs = new ArrayList<>();
        c.removed()
                .forEach(v -> tarballs.add(ArtifactPath.of(p.versions().get(v).tarball())));
        refuseUnless(tarballs, mayDelete);
        boolean nothingLeft =
                !c.removed().isEmpty() && c.removed().size() == p.versions().size();
        store.inTransaction(() -> {
            guard(store.touchIf(repo, p.name(), p.revision(), clock.millis()), p);
            if (nothingLeft) {
                store.removePackage(repo, p.name());
                return null;
            }
            c.removed().forEach(v -> store.removeVersion(repo, p.name(), v));
            c.manifests().forEach((v, m) -> store.replaceManifest(repo, p.name(), v, m));
            Map<String, String> tags = new java.util.LinkedHashMap<>(c.tags());
            if (tags.containsKey("latest") && tags.get("latest") == null) {
                // npm installs 'latest': it moves to the newest version left, as npm's registry does
                p.versions().keySet().stream()
                        .filter(v -> !c.removed().contains(v))
                        .reduce((a, b) -> b)
                        .ifPresent(v -> tags.put("latest", v));
            }
            tags.forEach((tag, v) -> {
                if (v == null) {
                    store.removeTag(repo, p.name(), tag);
                } else {
                    store.setTag(repo, p.name(), tag, v);
                }
            });
            return null;
        });
        tarballs.forEach(t -> artifacts.delete(repo, t, mayDelete));
    }

    /** Unpublishes the whole package: every version, tag and tarball. */
    public void unpublish(String repo, NpmPackage p, Predicate<ArtifactPath> mayDelete) {
        apply(repo, p, DocumentChange.removing(p, p.versions().keySet()), mayDelete);
    }

    private static void refuseUnless(List<ArtifactPath> tarballs, Predicate<ArtifactPath> mayDelete) {
        for (ArtifactPath t : tarballs) {
            if (!mayDelete.test(t)) {
                throw new CofferException(new Failure.Denied(
                        "forbidden", "unpublishing needs the delete (d) action on '" + t + "'; nothing was changed"));
            }
        }
    }

    /** 409 when the package changed since the caller read it. */
    private static void guard(boolean unchanged, NpmPackage p) {
        if (!unchanged) {
            throw CofferException.conflict(
                    "revision_conflict", "package " + p.name() + " changed since it was read; read it again and retry");
        }
    }

    /** Deletes a tarball file that no version names any more (false: nothing there). */
    public boolean deleteOrphan(String repo, ArtifactPath tarball, Predicate<ArtifactPath> mayDelete) {
        return artifacts.delete(repo, tarball, mayDelete);
    }
}
