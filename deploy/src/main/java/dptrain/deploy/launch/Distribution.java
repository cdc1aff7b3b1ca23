package dptrain.deploy.launch;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a host runs a node with: its java command and dptrain's class path there (the same path
 * as here, which the preflight checks), with the SHA-256 of the jar when the class path is one
 * jar, so that a host with another build is refused before it starts.
 */
public record Distribution(String java, String classPath, String jarSha256) {
  /** The launcher's own: this JVM's java and class path. */
  public static Distribution ofThisJvm(String java) {
    String classPath = System.getProperty("java.class.path");
    Path jar = Path.of(classPath);
    String checksum = classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator) && Files.isRegularFile(jar)
        ? sha256(jar) : null;
    return new Distribution(java, classPath, checksum);
  }

  /** The words of {@code java ... dptrain.deploy.Main} with {@code arguments}, each quoted for sh. */
  public String command(String memory, List<String> arguments) {
    StringBuilder command = new StringBuilder(RemoteShell.quote(java) + " -Xmx" + memory + " -cp " + RemoteShell.quote(classPath)
        + " dptrain.deploy.Main");
    for (String argument : arguments) {
      command.append(' ').append(RemoteShell.quote(argument));
    }
    return command.toString();
  }

  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new dptrain.deploy.UsageException("cannot read " + file + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
