package dev.coffer.bootstrap;

import dev.coffer.common.CofferException;
import dev.coffer.config.Settings;
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

    /**
     * Creates 'admin' with the given password or a random one kept in a 0600 file; nothing when
     * users exist. A given password that the password policy refuses stops the start (one line,
     * naming the variable); it is not looked at once users exist.
     */
    static void ensure(UserService users, Settings settings, String password, PrintStream out) {
        if (!users.list().isEmpty()) {
            return;
        }
        String pw = password;
        boolean generated = pw == null || pw.isEmpty();
        if (generated) {
            pw = Coffer.randomPassword(settings.passwordMinLength());
            Path file = settings.data().resolve("admin.password");
            try {
                Files.deleteIfExists(file);
                Files.createFile(
                        file,
                        PosixFilePermissions.asFileAttribute(
                                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
                Files.writeString(file, pw + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
            }
        } else {
            try {
                users.checkPassword("admin", pw);
            } catch (CofferException e) {
                throw new IllegalStateException("COFFER_ADMIN_PASSWORD is refused: "
                        + e.failure().message()
                        + " (password.min-length is " + settings.passwordMinLength() + "); set another, or leave it "
                        + "unset for a random one");
            }
        }
        users.put("admin", new UserService.UserChange(pw, null, true, null, false));
        out.println(
                generated
                        ? "created user 'admin' with password " + pw + " (also in "
                                + settings.data().resolve("admin.password") + ")"
                        : "created user 'admin' with the password from COFFER_ADMIN_PASSWORD");
    }
}
