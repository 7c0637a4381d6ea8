import { ExternalLink } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { t } from "../messages";

// Only the services whose documentation the gateway routes (deploy/services.py `docs_path`:
// a service mounted at its own root). History, ingestion and the live socket serve theirs on
// their own ports, which the gateway does not expose.
const DOCS = [
  { base: "/api/auth", what: "authApi", name: "Auth" },
  { base: "/api/alerts", what: "alertsApi", name: "Alerts" },
] as const;

export function ApiDocsCard() {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("apiDocs")}</CardTitle>
        <CardDescription>{t("apiDocsHint")}</CardDescription>
      </CardHeader>
      <CardContent>
        <ul className="grid gap-3 text-sm">
          {DOCS.map(({ base, what, name }) => (
            <li key={base} className="grid gap-1">
              <span>
                <span className="font-medium">{name}</span> <span className="text-muted-foreground">· {t(what)}</span>
              </span>
              <span className="flex flex-wrap gap-x-4 gap-y-1">
                <DocLink href={`${base}/docs`} label={t("swagger")} />
                <DocLink href={`${base}/redoc`} label={t("redoc")} />
              </span>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}

function DocLink({ href, label }: { href: string; label: string }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-1 text-primary underline-offset-4 hover:underline">
      {label}
      <ExternalLink className="size-3.5" aria-hidden="true" />
      <span className="sr-only">({t("newTab")})</span>
    </a>
  );
}
