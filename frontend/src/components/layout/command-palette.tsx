import { Command } from "cmdk";
import { Dialog as Primitive } from "radix-ui";
import type { ReactNode } from "react";
import { createTranslator } from "@/lib/i18n";

const t = createTranslator({ en: { title: "Command palette", placeholder: "Go to a host, page or action…", empty: "Nothing matches." } });

export interface PaletteItem {
  id: string;
  label: string;
  hint?: string;
  keywords?: string[];
  icon?: ReactNode;
  run: () => void;
}

export interface PaletteGroup {
  heading: string;
  items: PaletteItem[];
}

/** ⌘K: every host, page and action one search away. */
export function CommandPalette({ open, onOpenChange, groups }: { open: boolean; onOpenChange: (open: boolean) => void; groups: PaletteGroup[] }) {
  return (
    <Primitive.Root open={open} onOpenChange={onOpenChange}>
      <Primitive.Portal>
        <Primitive.Overlay className="fixed inset-0 z-50 bg-black/50" />
        <Primitive.Content
          aria-describedby={undefined}
          className="fixed top-[15vh] left-1/2 z-50 w-[calc(100%-2rem)] max-w-xl -translate-x-1/2 overflow-hidden rounded-xl border bg-card shadow-2xl"
        >
          <Primitive.Title className="sr-only">{t("title")}</Primitive.Title>
          <Command label={t("title")} className="flex flex-col">
            <Command.Input
              autoFocus
              placeholder={t("placeholder")}
              className="h-12 border-b bg-transparent px-4 text-sm outline-none placeholder:text-muted-foreground"
            />
            <Command.List className="max-h-[50vh] overflow-y-auto p-2">
              <Command.Empty className="p-4 text-center text-sm text-muted-foreground">{t("empty")}</Command.Empty>
              {groups.map((group) =>
                group.items.length === 0 ? null : (
                  <Command.Group
                    key={group.heading}
                    heading={group.heading}
                    className="[&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1.5 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:text-muted-foreground"
                  >
                    {group.items.map((item) => (
                      <Command.Item
                        key={item.id}
                        value={`${item.label} ${item.id}`}
                        keywords={item.keywords ?? []}
                        onSelect={() => {
                          onOpenChange(false);
                          item.run();
                        }}
                        className="flex cursor-pointer items-center gap-2 rounded-md px-2 py-2 text-sm data-[selected=true]:bg-muted [&_svg]:size-4"
                      >
                        {item.icon}
                        <span className="truncate">{item.label}</span>
                        {item.hint ? <span className="ml-auto truncate text-xs text-muted-foreground">{item.hint}</span> : null}
                      </Command.Item>
                    ))}
                  </Command.Group>
                ),
              )}
            </Command.List>
          </Command>
        </Primitive.Content>
      </Primitive.Portal>
    </Primitive.Root>
  );
}
