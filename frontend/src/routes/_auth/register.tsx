import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { compact, optionalString } from "@/lib/search";
import { AuthCard, authText as t, RegisterForm } from "@/features/auth";

export const Route = createFileRoute("/_auth/register")({
  validateSearch: (raw: Record<string, unknown>) => compact({ invitation: optionalString(raw.invitation, 512) }),
  component: RegisterPage,
});

function RegisterPage() {
  const { invitation } = Route.useSearch();
  const navigate = useNavigate();
  return (
    <AuthCard title={t("registerTitle")} hint={t("registerHint")}>
      <RegisterForm
        {...(invitation ? { invitation } : {})}
        // Signing up with an invitation already joined its organization: no second answer.
        onRegistered={() => void navigate({ to: "/login", search: { registered: true } })}
      />
    </AuthCard>
  );
}
