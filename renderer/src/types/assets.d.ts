// Why: Vite turns CSS imports into <link>ed files; the type checker only needs to know they exist.
declare module '*.css';
