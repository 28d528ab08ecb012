package dev.coffer.repository;

import java.util.List;
import java.util.Objects;

/**
 * A virtual repository's members, asked in order (API.md §9), and where deploys go.
 *
 * @param members names of local or remote repositories of the same package type, in order
 * @param defaultDeployRepo a local member that receives deploys, or null (deploys are then 405)
 */
public record VirtualSettings(List<String> members, String defaultDeployRepo) {
    public VirtualSettings {
        members = List.copyOf(Objects.requireNonNull(members, "members"));
    }
}
