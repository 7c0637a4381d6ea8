import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { AuthCard, authText as t, LoginForm } from "@/features/auth";
import { compact, optionalBoolean, optionalString } from "@/lib/search";

const search = (raw: Record<string, unknown>) =>
  compact({
    redirect: optionalString(raw.redirect),
    invitation: optionalString(raw.invitation, 512),
    registered: optionalBoolean(raw.registered),
  });

export const Route = createFileRoute("/_auth/login")({
  validateSearch: search,
  component: LoginPage,
});

/** Only paths of this site: an open redirect would hand a phishing page our sign-in. */
export function safeRedirect(target: string | undefined): string {
  return target && target.startsWith("/") && !target.startsWith("//") ? target : "/hosts";
}

function LoginPage() {
  const { redirect, invitation, registered } = Route.useSearch();
  const navigate = useNavigate();
  const onSignedIn = () => {
    if (invitation) void navigate({ to: "/invitation", search: { token: invitation } });
    else void navigate({ to: safeRedirect(redirect) });
  };
  return (
    <AuthCard title={t("signInTitle")} hint={t("signInHint")}>
      <LoginForm onSignedIn={onSignedIn} {...(registered ? { notice: t("registered") } : {})} {...(invitation ? { invitation } : {})} />
    </AuthCard>
  );
}
