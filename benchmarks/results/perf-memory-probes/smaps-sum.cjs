// node smaps-sum.cjs /proc/PID/smaps-copy [N]: resident KB by mapped file ([anon], [heap], /usr/bin/node...).
const t=require("fs").readFileSync(process.argv[2],"utf8").split("\n");let cur,m={};
for(const l of t){const h=l.match(/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/);if(h){cur=h[1]||"[anon]";continue}const r=l.match(/^Rss:\s+(\d+)/);if(r)m[cur]=(m[cur]||0)+ +r[1];}
Object.entries(m).sort((a,b)=>b[1]-a[1]).slice(0,+(process.argv[3]||6)).forEach(([k,v])=>console.log(v,k))
