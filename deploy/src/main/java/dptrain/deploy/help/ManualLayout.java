package dptrain.deploy.help;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Makes every command's {@code --help} read like a manual page: a short synopsis, the
 * description as paragraphs (its lines joined and wrapped to the width, never cut mid-sentence),
 * options grouped under topics ({@link HelpTopics}), and examples at the end ({@link HelpExamples}).
 */
public final class ManualLayout {
  static final int WIDTH = 100;
  private static final int OPTION_COLUMN = 30;

  private ManualLayout() {}

  /** Applies the layout to {@code root} and every subcommand under it. */
  public static void install(CommandLine root) {
    root.setUsageHelpWidth(WIDTH);
    apply(root);
  }

  private static void apply(CommandLine command) {
    CommandSpec spec = command.getCommandSpec();
    spec.usageMessage().abbreviateSynopsis(true);
    Map<String, CommandLine.IHelpSectionRenderer> sections = spec.usageMessage().sectionMap();
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION, ManualLayout::description);
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, ManualLayout::options);
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, ManualLayout::examples);
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING, help -> "");
    sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, ManualLayout::commands);
    command.getSubcommands().values().forEach(ManualLayout::apply);
  }

  /** The description's lines joined into paragraphs (an empty line ends one); indented lines (examples) kept as they are. */
  static String description(Help help) {
    String[] lines = help.commandSpec().usageMessage().description();
    StringBuilder out = new StringBuilder();
    StringBuilder paragraph = new StringBuilder();
    for (String line : lines) {
      if (line.isBlank() || line.startsWith(" ")) {
        flush(out, paragraph);
        out.append(line.isBlank() ? "" : line).append('\n');
      } else {
        paragraph.append(paragraph.length() == 0 ? "" : " ").append(line.strip());
      }
    }
    flush(out, paragraph);
    return out.toString();
  }

  private static void flush(StringBuilder out, StringBuilder paragraph) {
    if (paragraph.length() > 0) {
      out.append(wrap(paragraph.toString(), WIDTH, "")).append('\n');
      paragraph.setLength(0);
    }
  }

  /** The options under their topics; commands without topics get one "Options" list. */
  static String options(Help help) {
    CommandSpec spec = help.commandSpec();
    List<OptionSpec> visible = spec.options().stream().filter(o -> !o.hidden()).toList();
    Map<String, List<String>> topics = HelpTopics.of(spec.qualifiedName());
    StringBuilder out = new StringBuilder();
    Set<OptionSpec> listed = new LinkedHashSet<>();
    for (var topic : topics.entrySet()) {
      List<OptionSpec> members = new ArrayList<>();
      for (String name : topic.getValue()) {
        visible.stream().filter(o -> o.longestName().equals(name) && !listed.contains(o)).findFirst().ifPresent(members::add);
      }
      listed.addAll(members);
      section(out, topic.getKey(), members);
    }
    section(out, topics.isEmpty() ? "Options" : "Other options", visible.stream().filter(o -> !listed.contains(o)).toList());
    return out.toString();
  }

  private static void section(StringBuilder out, String heading, List<OptionSpec> options) {
    if (options.isEmpty()) {
      return;
    }
    out.append('\n').append(heading).append(":\n");
    for (OptionSpec option : options) {
      String names = String.join(", ", option.names());
      String label = option.typeInfo().isBoolean() && option.arity().max() == 0 ? ""
          : "=" + option.paramLabel();
      String left = "  " + names + (option.arity().min() == 0 && !label.isEmpty() ? "[" + label + "]" : label);
      String text = String.join(" ", List.of(option.description()).stream().map(String::strip).toList())
          .replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue()));
      String indent = " ".repeat(OPTION_COLUMN);
      if (left.length() >= OPTION_COLUMN - 1) {
        out.append(left).append('\n').append(wrap(text, WIDTH, indent)).append('\n');
      } else {
        String wrapped = wrap(text, WIDTH, indent);
        out.append(left).append(" ".repeat(OPTION_COLUMN - left.length())).append(wrapped.substring(OPTION_COLUMN)).append('\n');
      }
    }
  }

  /** Each subcommand with the first sentence of its description. */
  static String commands(Help help) {
    var subcommands = help.commandSpec().subcommands();
    if (subcommands.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("\nCommands:\n");
    int column = Math.max(16, subcommands.keySet().stream().mapToInt(String::length).max().orElse(0) + 4);
    String indent = " ".repeat(column);
    subcommands.forEach((name, sub) -> {
      String text = String.join(" ", List.of(sub.getCommandSpec().usageMessage().description()).stream()
          .takeWhile(line -> !line.isBlank()).map(String::strip).toList());
      int end = text.indexOf(". ");
      String sentence = end < 0 ? text : text.substring(0, end + 1);
      String left = "  " + name;
      out.append(left).append(" ".repeat(column - left.length())).append(wrap(sentence, WIDTH, indent).substring(column))
          .append('\n');
    });
    return out.toString();
  }

  static String examples(Help help) {
    List<String> examples = HelpExamples.of(help.commandSpec().qualifiedName());
    if (examples.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("\nExamples:\n");
    examples.forEach(e -> out.append("  ").append(e).append('\n'));
    return out.toString();
  }

  /** {@code text} wrapped at word boundaries to {@code width}, every line starting with {@code indent}. */
  static String wrap(String text, int width, String indent) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder(indent);
    for (String word : text.split(" +")) {
      if (word.isEmpty()) {
        continue;
      }
      if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
        out.append(line).append('\n');
        line = new StringBuilder(indent);
      }
      line.append(line.length() > indent.length() ? " " : "").append(word);
    }
    out.append(line);
    return out.toString();
  }
}
