package dev.coffer.identity;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Users and groups with their memberships; implemented by the persistence adapters. */
public interface UserStore {
    Optional<User> findUser(String username);

    Optional<User> findUserById(long id);

    List<User> listUsers();

    /** Inserts a new user with its group memberships and returns it with its id. */
    User insertUser(User user);

    /** Updates every field and replaces the memberships. */
    void updateUser(User user);

    /**
     * Deletes the user with their memberships, and removes them from every permission target in
     * the same transaction: what the user held goes with them, never to a later user of the name.
     */
    boolean deleteUser(String username);

    Optional<Group> findGroup(String name);

    List<Group> listGroups();

    void upsertGroup(Group group);

    /** Deletes the group with its memberships and its grants (as {@link #deleteUser}). */
    boolean deleteGroup(String name);

    List<String> groupMembers(String group);

    /** Replaces the members of a group (usernames that exist). */
    void setGroupMembers(String group, Set<String> usernames);
}
