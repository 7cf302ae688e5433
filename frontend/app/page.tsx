import { redirect } from "next/navigation";

// The dashboard's guard sends a browser without a session on to /login.
export default function Home() {
  redirect("/campaigns");
}
