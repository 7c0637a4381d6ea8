import { Monitor, Moon, Sun } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { createTranslator } from "@/lib/i18n";
import { setTheme, type Theme, useTheme } from "@/lib/theme";

const t = createTranslator({ en: { theme: "Theme", light: "Light", dark: "Dark", system: "System" } });
const ICONS = { light: Sun, dark: Moon, system: Monitor } as const;

export function ThemeToggle() {
  const theme = useTheme();
  const Icon = ICONS[theme];
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`${t("theme")}: ${t(theme)}`}>
          <Icon aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        {(["light", "dark", "system"] as const satisfies readonly Theme[]).map((option) => {
          const OptionIcon = ICONS[option];
          return (
            <DropdownMenuItem key={option} onSelect={() => setTheme(option)} aria-checked={theme === option} role="menuitemradio">
              <OptionIcon aria-hidden="true" />
              {t(option)}
            </DropdownMenuItem>
          );
        })}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
