package dev.coffer.remote;

import dev.coffer.common.ArtifactPath;
import java.util.Objects;

/**
 * What a remote repository remembers of one cached path: when it was fetched from the upstream,
 * when the upstream last confirmed it (a fetch or a 304), and the upstream's validators for the
 * next conditional GET.
 */
public record CacheState(String repo, ArtifactPath path, long fetchedAt, long checkedAt, Validators validators) {
    public CacheState {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(validators, "validators");
    }
}
