// The `looplab` command line: one entry per subcommand, each loaded only when used so the kernel starts fast.
type Command = { summary: string; load: () => Promise<{ main(argv: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  install: { summary: "install the kernelspec so Jupyter can start LoopLab", load: () => import("./install.ts") },
  uninstall: { summary: "remove the kernelspec", load: () => import("./uninstall.ts") },
  kernel: { summary: "run the kernel on CONNECTION_FILE (Jupyter does this)", load: () => import("./main.ts") },
  run: { summary: "execute notebooks through the kernel and save their outputs", load: () => import("./course/run/command.ts") },
  export: { summary: "export notebooks as a course site, Markdown or student notebooks", load: () => import("./course/export/command.ts") },
  grade: { summary: "grade student notebooks with the lessons' hidden tests", load: () => import("./course/grade/command.ts") },
  course: { summary: "run every lesson and export the course to site/ (npm start)", load: () => import("./course/course.ts") },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: looplab <command> [options]\n\ncommands:\n${lines.join("\n")}\n`;
}

const [name, ...rest] = process.argv.slice(2);
if (!name || name === "--help" || name === "-h") {
  process.stdout.write(usage());
  process.exitCode = name ? 0 : 2;
} else if (!(name in commands)) {
  process.stderr.write(`looplab: unknown command '${name}'\n\n${usage()}`);
  process.exitCode = 2;
} else {
  const code = await (await commands[name].load()).main(rest);
  process.exitCode = code;
}
