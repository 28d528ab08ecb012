package dev.coffer.bootstrap;

import dev.coffer.identity.UserService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The first start of an instance: without any user, nobody could ever sign in to make one. */
final class FirstAdmin {
    private FirstAdmin() {}

    /** Creates 'admin' with the given password or a random one kept in a 0600 file; nothing when users exist. */
    static void ensure(UserService users, Path data, String password, PrintStream out) {
        if (!users.list().isEmpty()) {
            return;
        }
        String pw = password;
        if (pw == null || pw.isEmpty()) {
            pw = Coffer.randomPassword();
            Path file = data.resolve("admin.password");
            try {
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(
                        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
                Files.writeString(file, pw + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
            }
            out.println("created user 'admin' with password " + pw + " (also in " + file + ")");
        } else {
            out.println("created user 'admin' with the password from COFFER_ADMIN_PASSWORD");
        }
        users.put("admin", new UserService.UserChange(pw, null, true, null, false));
    }
}
