package dev.coffer.virtual;

import dev.coffer.common.Action;
import dev.coffer.common.ArtifactPath;
import dev.coffer.credential.Caller;

/**
 * The rights the virtual layer asks about, for the virtual repository and for each member with the
 * caller seen through it ({@link Caller#throughVirtual}). The composition root hands in the very
 * decision admission makes ({@code admission.Rights#allows}): a virtual repository never decides
 * a permission itself.
 */
@FunctionalInterface
public interface MemberRights {
    boolean allows(Caller caller, Action action, String repo, ArtifactPath path);
}
